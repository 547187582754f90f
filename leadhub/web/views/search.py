"""The search page (E2): one box over number, contact data, site, notes, documents and
responsible person, narrowed by what to search in, enquiry type and creation dates."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leadhub.enquiries.models import EnquiryType
from leadhub.enquiries.preview import preview_of
from leadhub.search.queries import Results, search
from leadhub.search.text import CATEGORIES, QueryRefused, read_query

from .common import current_user

CATEGORY_LABELS = {
    "number": gettext_lazy("Enquiry number"),
    "contact": gettext_lazy("Contact data"),
    "site": gettext_lazy("Site address"),
    "responsible": gettext_lazy("Responsible person"),
    "notes": gettext_lazy("Notes"),
    "documents": gettext_lazy("Documents"),
}


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    g = request.GET
    text = g.get("q", "").strip()
    category = g.get("in", "") if g.get("in", "") in CATEGORIES else ""
    type_ = g.get("type", "") if g.get("type", "") in EnquiryType.values else ""
    created_from, created_to = _date(g.get("from", "")), _date(g.get("to", ""))
    results: Results | None = None
    problem = ""
    if text:
        try:
            query = read_query(
                text,
                category=category,
                type=type_,
                created_from=created_from,
                created_to=created_to,
            )
        except QueryRefused as exc:
            problem = _(str(exc))
        else:
            page = int(g["page"]) if g.get("page", "").isdigit() else 1
            results = search(user, query, page=page)
    elif "q" in g:
        problem = _("Type what you are looking for: a name, a number, an e-mail, a phone…")
    keep = urlencode(
        {
            k: v
            for k, v in (
                ("q", text),
                ("in", category),
                ("type", type_),
                ("from", g.get("from", "")),
                ("to", g.get("to", "")),
            )
            if v
        }
    )
    rows = []
    if results:
        for hit in results.hits:
            preview = preview_of(hit.enquiry) if hit.snippet is None else None
            rows.append((hit, preview, CATEGORY_LABELS.get(hit.matched_in, "")))
    return render(
        request,
        "web/search.html",
        {
            "q": text,
            "search_q": text,
            "category": category,
            "type": type_,
            "created_from": g.get("from", "") if created_from else "",
            "created_to": g.get("to", "") if created_to else "",
            "categories": list(CATEGORY_LABELS.items()),
            "types": EnquiryType.choices,
            "results": results,
            "rows": rows,
            "problem": problem,
            "keep": keep,
        },
    )
