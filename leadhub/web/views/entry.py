"""Manual entry (A6) and sharing with a brand (B10) from the pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadhub.contacts.lookup import find_contacts
from leadhub.enquiries.manual import EntryRefused, enter, last_entry_defaults, share, stop_sharing
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import REACT_ROLES, Access, may_work
from leadhub.orgs.models import User

from ..entry_form import CONTACT_FIELDS, ManualEntryForm
from .common import acting_on, back_to, current_user


def may_enter(user: User) -> bool:
    return user.organisation is not None and user.has_role(*REACT_ROLES)


@login_required
def new_enquiry(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not may_enter(user):
        return redirect("enquiry-list")
    if request.method == "POST":
        form = ManualEntryForm(request.POST, user=user)
        if form.is_valid():
            try:
                enquiry, created = enter(form.entry(), by=user, now=timezone.now())
            except EntryRefused as exc:
                for name, problem in exc.problems.items():
                    form.add_error(name if name in form.fields else None, problem)
            else:
                if created:
                    messages.success(
                        request, _("Enquiry %(number)s entered.") % {"number": enquiry.number}
                    )
                return redirect("enquiry-detail", number=enquiry.number)
    else:
        form = ManualEntryForm(user=user, initial=last_entry_defaults(user))
    context = {"form": form, "contact_fields": [form[name] for name in CONTACT_FIELDS]}
    return render(request, "web/enquiry_new.html", context)


@login_required
def contact_choices(request: HttpRequest) -> HttpResponse:
    """The organisation's contacts matching ?q=, as choices for the entry form (htmx)."""
    user = current_user(request)
    if not may_enter(user) or user.organisation is None:
        return HttpResponse(status=404)
    found = find_contacts(user.organisation, request.GET.get("q", ""))
    return render(
        request,
        "web/enquiry_new.html#contacts",
        {"contacts": found, "query": request.GET.get("q", "")},
    )


def may_share(user: User, access: Access, enquiry: Enquiry) -> bool:
    """B10: the partner's users who work it, for enquiries the partner entered itself."""
    return (
        may_work(user, access, enquiry)
        and enquiry.origin_brand_id is None
        and enquiry.channel_id is None
    )


@login_required
@require_POST
def sharing(request: HttpRequest, number: str) -> HttpResponse:
    user, enquiry, _access = acting_on(request, number, may_share)
    now = timezone.now()
    try:
        if request.POST.get("brand"):
            share(enquiry, request.POST["brand"], by=user, now=now)
            messages.success(request, _("Shared."))
        else:
            stop_sharing(enquiry, by=user, now=now)
            messages.success(request, _("No longer shared."))
    except EntryRefused as exc:
        messages.error(request, str(exc))
    return back_to(number)
