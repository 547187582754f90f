"""The enquiry page (the list is in enquiry_list.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from leadhub.assignment.actions import may_assign
from leadhub.assignment.models import ExternalAssignment
from leadhub.duplicates.views import panel_context
from leadhub.enquiries.customer import may_decide
from leadhub.enquiries.models import Enquiry, HistoryCategory
from leadhub.enquiries.preview import preview_of
from leadhub.enquiries.project import FIELDS as PROJECT_FIELDS
from leadhub.enquiries.queries import (
    Access,
    actions_for,
    enquiry_for_user,
    history_for_user,
    may_dispatch,
    may_react_to_offer,
    may_work,
    pending_offer_of,
    values_visible,
)
from leadhub.enquiries.reading import mark_read
from leadhub.enquiries.tags import tags_of
from leadhub.enquiries.takeover import may_take_over

from ..contact_links import mailto, map_url
from ..forms import ProjectForm, RejectForm
from ..pipeline_forms import ActionForm
from .common import current_user
from .documents import documents_context
from .enquiry_extras import extras_context
from .entry import may_share


def home(request: HttpRequest) -> HttpResponse:
    return redirect("enquiry-list")


@login_required
def enquiry_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = current_user(request)
    enquiry, access = enquiry_for_user(user, number)
    mark_read(user, enquiry, timezone.now())
    # C3: the history grouped by category; ?history=note shows one category.
    shown = request.GET.get("history", "")
    shown = shown if shown in HistoryCategory.values else ""
    if access is Access.PREVIEW:
        return render_preview(
            request, enquiry, RejectForm(), may_react=may_react_to_offer(user, access, enquiry)
        )
    history = list(history_for_user(user, enquiry, access))  # read once, shown and searched
    dispatch = may_dispatch(user, access, enquiry)
    context = {
        "enquiry": enquiry,
        "access": access.value,
        "offer": pending_offer_of(enquiry),
        "now": timezone.now(),
        "action_forms": [
            ActionForm(action=name, organisation=enquiry.owner)
            for name in actions_for(user, access, enquiry)
        ],
        "values_visible": values_visible(access),
        "may_note": may_work(user, access, enquiry),
        "project_form": ProjectForm(initial={f: getattr(enquiry, f) for f in PROJECT_FIELDS}),
        "may_take_over": may_take_over(user, access, enquiry),
        "tags": tags_of(enquiry, user),
        "contact": enquiry.contact,
        "map_url": map_url(enquiry.contact) if enquiry.contact.address_line() else "",
        "mailto": mailto(enquiry, user.display_name()) if enquiry.contact.email else "",
        "history": [h for h in history if shown in ("", h.category)],
        "history_filter": shown,
        "history_categories": HistoryCategory.choices,
        "may_dispatch": dispatch,
        "returned_note": next((h for h in reversed(history) if h.kind == "offer_returned"), None),
        "may_assign": may_assign(user, access, enquiry),
        "share_choices": [(b.key, b.name) for b in enquiry.owner.brands.order_by("name")]
        if may_share(user, access, enquiry)
        else [],
        "may_convert": may_work(user, access, enquiry) and may_decide(enquiry),
        "externals": list(
            ExternalAssignment.objects.filter(enquiry=enquiry).select_related("assigned_by")
        )
        if access is Access.OWNER
        else [],
        **documents_context(user, access, enquiry),
        **extras_context(user, access, enquiry),
        **panel_context(user, access, enquiry),  # D1: possible duplicates
    }
    return render(request, "web/enquiry_detail.html", context)


def render_preview(
    request: HttpRequest, enquiry: Enquiry, form: RejectForm, *, may_react: bool, status: int = 200
) -> HttpResponse:
    """The anonymised page of an offered enquiry, with accept / reject for who may react."""
    context = {
        "enquiry": enquiry,
        "access": Access.PREVIEW.value,
        "offer": pending_offer_of(enquiry),
        "now": timezone.now(),
        "preview": preview_of(enquiry),
        "may_react": may_react,
        "reject_form": form,
    }
    return render(request, "web/offer_preview.html", context, status=status)
