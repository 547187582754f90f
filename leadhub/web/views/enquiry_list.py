"""The enquiry list (E1, E3): tabs, column filters, sortable columns, compact mode, offers
on top, keyset pages, and the rows alone for htmx (self-refresh and "Show more")."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from leadhub.enquiries.listing import BadFilter, ListFilters, listed
from leadhub.enquiries.models import EnquiryType
from leadhub.enquiries.pagination import SORTS, BadCursor, paginate
from leadhub.enquiries.preview import preview_of
from leadhub.enquiries.queries import (
    counters,
    offers_waiting,
    pending_offer_of,
    visible_enquiries,
    with_pending_offer,
)
from leadhub.enquiries.reading import changed_by_someone_else, is_unread, with_read_state
from leadhub.lib.sql import custom_plans
from leadhub.orgs.access import categories_without_all

from ..list_choices import filter_choices
from ..list_rows import render_options, render_rows
from .common import current_user
from .entry import may_enter

PAGE_SIZE = 50
TABS = ("all", "mine", "unread", "queue", "returned")
COLUMN_FILTERS = ("contact_kind", "type", "status", "responsible", "due", "tag")


def list_filters(request: HttpRequest, tab: str) -> ListFilters:
    """The tab and column filters of the page's URL; column values that name nothing are
    dropped (a stale bookmark shows the tab, not an error page)."""
    tabs = ListFilters(
        done=request.GET.get("done") == "1",
        mine=tab == "mine",
        unread=tab == "unread",
        queue=tab == "queue",
        returned=tab == "returned",
    )
    filters = ListFilters(
        **{**tabs.__dict__, **{n: request.GET.get(n, "") for n in COLUMN_FILTERS}}
    )
    try:
        filters.check()
    except BadFilter:
        return tabs
    return filters


def link_state(request: HttpRequest) -> tuple[str, str, ListFilters, dict[str, object]]:
    """Tab, sort, filters, and the query strings links carry: each link keeps what the
    user chose and adds its own change."""
    tab = request.GET.get("tab", "all")
    tab = tab if tab in TABS else "all"
    sort = request.GET.get("sort", "due")
    sort = sort if sort in SORTS else "due"
    filters = list_filters(request, tab)
    column_filters = {k: v for k, v in filters.active().items() if v}
    done = {"done": "1"} if filters.done else {}
    keep = column_filters | {"tab": tab} | done
    links: dict[str, object] = {
        "tab": tab,
        "done": filters.done,
        "sort": sort,
        "keep": urlencode(keep),
        "keep_sorted": urlencode(keep | {"sort": sort}),
        "keep_filters": urlencode(column_filters | {"sort": sort}),
    }
    return tab, sort, filters, links


@login_required
@custom_plans()
def enquiry_counters(request: HttpRequest) -> HttpResponse:
    """The tabs with their counters, loaded after the page (and every minute) by htmx: the
    capped counts cost as much as the list itself, and the rows should not wait for them."""
    user = current_user(request)
    _tab, _sort, _filters, links = link_state(request)
    return render(request, "web/enquiry_list.html#tabs", links | {"counters": counters(user)})


@login_required
@custom_plans()  # lib/sql.py: a generic plan may sort a brand's whole list
def enquiry_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    org = user.organisation_id
    if "compact" in request.GET:  # E1: the compact mode sticks for the session
        request.session["compact"] = request.GET["compact"] == "1"
    tab, sort, filters, links = link_state(request)
    now = timezone.now()
    # The owner too: rows of partners show its name (one query per row otherwise).
    related = ("contact", "channel", "owner", "assigned_user", "assigned_unit")
    visible = visible_enquiries(user).select_related(*related)
    # Offers to us come first, marked, apart from the paginated list (B4). Only partners
    # get offers: a brand's page saves the query.
    offers = [
        (e, preview_of(e, texts=False), pending_offer_of(e))
        for e in with_pending_offer(offers_waiting(user, visible)).order_by("due_at", "id")
    ]
    # The pages, the offers on top never among them.
    rows, parts = listed(user, filters, now, offers=False)
    qs = with_read_state(with_pending_offer(rows.select_related(*related)), user)
    try:
        page = paginate(
            qs, sort=sort, cursor=request.GET.get("cursor"), limit=PAGE_SIZE, parts=parts
        )
    except BadCursor:
        return redirect(f"{request.path}?tab={tab}")
    for e in page.items:  # C7: bold when unread; marked when someone else changed yours
        e.is_unread = is_unread(e)  # type: ignore[attr-defined]
        e.changed_by_other = changed_by_someone_else(e, user)  # type: ignore[attr-defined]
    context: dict[str, object] = links | {
        "page": page,
        "rows_html": render_rows(page.items, now=now, org_id=org),
        "now": now,
        "org_id": org,
        "compact": request.session.get("compact", False),
    }
    if getattr(request, "htmx", False):
        # The self-refresh and "Show more" get the rows only: no counters, offers or warnings.
        return render(request, "web/enquiry_list.html#rows", context)
    choices = filter_choices(user)
    labels = {
        "contact_kind": _("Contact type"),
        "type": _("Type"),
        "status": _("Status"),
        "responsible": _("Responsible"),
        "due": _("Due"),
        "tag": _("Tag"),
    }
    context |= {
        # B9: while a category has nobody who sees all of it, enquiries of it can be missed.
        "unwatched": [
            EnquiryType(c).label
            for c in categories_without_all(user.organisation, EnquiryType.values)
        ]
        if user.has_role("admin") and user.organisation
        else [],
        "offers": offers,
        "filter_fields": [
            (name, labels[name], render_options(choices[name], getattr(filters, name)))
            for name in COLUMN_FILTERS
        ],
        "sort_columns": [
            ("due", _("Due")),
            ("created", _("Received")),
            ("updated", _("Last change")),
        ],
        "sort_choices": [
            ("due", _("Due soonest first")),
            ("-due", _("Due latest first")),
            ("-created", _("Newest first")),
            ("created", _("Oldest first")),
            ("-updated", _("Changed most recently")),
            ("updated", _("Changed least recently")),
        ],
        "may_enter": may_enter(user),
        # F4: the export form's key, so a double submit starts one export, not two.
        "export_key": secrets.token_urlsafe(16),
        "close_reasons": user.organisation.close_reasons if user.organisation else {},
    }
    return render(request, "web/enquiry_list.html", context)
