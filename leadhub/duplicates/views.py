"""Duplicates pages (D1): decisions from the enquiry page's panel, the compare view of
two contacts, the admins' list of pairs waiting for a decision, undo of a merge."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadhub.contacts.queries import (
    consents_now,
    contact_for_user,
    emails_of,
    enquiries_of,
    phones_of,
)
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import Access, may_work
from leadhub.orgs.models import User
from leadhub.web.views.common import current_user

from .actions import DuplicateRefused, keep_apart, link_to_contact, merge_contacts, undo_merge
from .queries import (
    candidate_for_user,
    candidates_for,
    may_merge,
    merge_for_user,
    merges_on,
    waiting,
)


def panel_context(user: User, access: Access, enquiry: Enquiry) -> dict[str, Any]:
    """For the enquiry page: its open candidates and the live merges of its contact."""
    return {
        "duplicates": candidates_for(user, access, enquiry),
        "merges": merges_on(user, enquiry) if may_work(user, access, enquiry) else [],
        "may_decide_duplicates": may_work(user, access, enquiry),
    }


def _back(request: HttpRequest, enquiry: Enquiry) -> HttpResponse:
    if request.POST.get("next") == "list":
        return redirect("duplicates")
    return redirect("enquiry-detail", number=enquiry.number)


@login_required
@require_POST
def decide(request: HttpRequest, candidate_id: int, decision: str) -> HttpResponse:
    user = current_user(request)
    candidate = candidate_for_user(user, candidate_id)
    enquiry = candidate.enquiry
    try:
        if decision == "link":
            link_to_contact(candidate, by=user)
            messages.success(request, _("The enquiry now belongs to the existing contact."))
        elif decision == "merge":
            if candidate.contact is None:
                raise DuplicateRefused(_("A referral cannot be merged."))
            merge_contacts(candidate.contact, enquiry.contact, by=user, enquiry=enquiry)
            messages.success(request, _("Contacts merged. You can undo it below."))
        elif decision == "apart":
            keep_apart(candidate, by=user)
            messages.success(request, _("Kept apart; this pair will not be suggested again."))
        else:
            raise Http404
    except DuplicateRefused as exc:
        messages.error(request, str(exc))
    return _back(request, enquiry)


@login_required
def compare(request: HttpRequest, first: int, second: int) -> HttpResponse:
    """Two contacts side by side; merge either into the other."""
    user = current_user(request)
    a = contact_for_user(user, first)
    b = contact_for_user(user, second)
    if request.method == "POST":
        if not (a.may_edit and b.may_edit and may_merge(user)):
            raise Http404
        keep, gone = (a, b) if request.POST.get("keep") == str(first) else (b, a)
        try:
            merge_contacts(keep.contact, gone.contact, by=user)
        except DuplicateRefused as exc:
            messages.error(request, str(exc))
            return redirect("duplicates-compare", first=first, second=second)
        messages.success(request, _("Contacts merged."))
        return redirect("contact-detail", contact_id=keep.contact.pk)
    sides = [
        {
            "contact": s.contact,
            "emails": emails_of(s.contact),
            "phones": phones_of(s.contact),
            "consents": [c for c in consents_now(s.contact) if c.latest],
            "enquiries": enquiries_of(user, s.contact),
        }
        for s in (a, b)
    ]
    context = {
        "sides": sides,
        "may_merge": a.may_edit and b.may_edit and may_merge(user),
        "fields": _rows(a.contact, b.contact),
    }
    return render(request, "duplicates/compare.html", context)


def _rows(a: Any, b: Any) -> list[tuple[str, str, str, bool]]:
    labels = (
        ("title", _("Title")),
        ("first_name", _("First name")),
        ("last_name", _("Last name")),
        ("company", _("Company")),
        ("vat_number", _("VAT number")),
        ("national_id", _("National id")),
        ("street", _("Street")),
        ("postal_code", _("Postal code")),
        ("city", _("City")),
        ("province", _("Province")),
        ("country", _("Country")),
        ("language", _("Language")),
        ("customer_number", _("Customer number")),
    )
    rows = []
    for name, label in labels:
        x, y = getattr(a, name), getattr(b, name)
        if x or y:
            rows.append((str(label), x, y, x != y))
    return rows


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """Admins: the organisation's pairs waiting for a decision (H1)."""
    user = current_user(request)
    try:
        offset = max(0, int(request.GET.get("offset", "0")))
    except ValueError:
        offset = 0
    rows = waiting(user, offset=offset)
    return render(request, "duplicates/list.html", {"rows": rows, "offset": offset})


@login_required
@require_POST
def undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    user = current_user(request)
    merge = merge_for_user(user, merge_id)
    try:
        undo_merge(merge, by=user)
    except DuplicateRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Merge undone."))
    number = request.POST.get("enquiry", "")
    if number and Enquiry.objects.filter(number=number, owner_id=user.organisation_id).exists():
        return redirect("enquiry-detail", number=number)
    return redirect("contact-detail", contact_id=merge.kept_id)
