"""The enquiry list and the enquiry page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from leadhub.enquiries.models import Enquiry, EnquiryType, HistoryCategory, Status
from leadhub.enquiries.pagination import SORTS, BadCursor, paginate
from leadhub.enquiries.preview import preview_of
from leadhub.enquiries.project import FIELDS as PROJECT_FIELDS
from leadhub.enquiries.queries import (
    Access,
    actions_for,
    counters,
    enquiry_for_user,
    history_for_user,
    may_dispatch,
    may_react_to_offer,
    may_work,
    pending_offer_of,
    visible_enquiries,
    with_pending_offer,
)
from leadhub.enquiries.reading import (
    changed_by_someone_else,
    is_unread,
    mark_read,
    unread,
    with_read_state,
)
from leadhub.enquiries.states import CLOSED
from leadhub.enquiries.tags import tags_of
from leadhub.enquiries.takeover import may_take_over
from leadhub.orgs.access import categories_without_all

from ..contact_links import mailto, map_url
from ..forms import AssignForm, ProjectForm, RejectForm
from ..pipeline_forms import ActionForm
from .common import current_user
from .documents import documents_context

PAGE_SIZE = 50
TABS = ("all", "mine", "unread", "queue", "returned")


def home(request: HttpRequest) -> HttpResponse:
    return redirect("enquiry-list")


@login_required
def enquiry_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    org = user.organisation_id
    tab = request.GET.get("tab", "all")
    tab = tab if tab in TABS else "all"
    done = request.GET.get("done") == "1"  # E1: open (default) or done enquiries
    sort = request.GET.get("sort", "due")
    sort = sort if sort in SORTS else "due"
    visible = visible_enquiries(user).select_related(
        "contact", "channel", "assigned_user", "assigned_unit"
    )
    # Offers to us come first, marked, apart from the paginated list (B4).
    offers = [
        (e, preview_of(e), pending_offer_of(e))
        for e in with_pending_offer(
            visible.filter(status=Status.OFFERED).exclude(owner_id=org)
        ).order_by("due_at")
    ]
    qs = with_read_state(
        with_pending_offer(visible.exclude(pk__in=[e.pk for e, _p, _o in offers])), user
    )
    qs = qs.filter(status__in=CLOSED) if done else qs.exclude(status__in=CLOSED)
    tag = request.GET.get("tag", "")
    if tag:
        qs = qs.filter(tags__organisation=user.organisation, tags__name=tag)
    if tab == "mine":
        qs = qs.filter(assigned_user=user)
    elif tab == "unread":
        qs = unread(qs)
    elif tab == "queue":
        qs = qs.filter(
            owner_id=org, assigned_user__isnull=True, assigned_unit__isnull=True
        ).exclude(status=Status.OFFERED)
    elif tab == "returned":
        qs = qs.filter(owner_id=org, returned_at__isnull=False)
    try:
        page = paginate(qs, sort=sort, cursor=request.GET.get("cursor"), limit=PAGE_SIZE)
    except BadCursor:
        return redirect(f"{request.path}?tab={tab}")
    for e in page.items:  # C7: bold when unread; marked when someone else changed yours
        e.is_unread = is_unread(e)  # type: ignore[attr-defined]
        e.changed_by_other = changed_by_someone_else(e, user)  # type: ignore[attr-defined]
    context: dict[str, object] = {
        "page": page,
        "tab": tab,
        "done": done,
        "sort": sort,
        "now": timezone.now(),
        "org_id": org,
    }
    if getattr(request, "htmx", False):
        # The self-refresh and "Show more" get the rows only: no counters, offers or warnings.
        return render(request, "web/enquiry_list.html#rows", context)
    context |= {
        # B9: while a category has nobody who sees all of it, enquiries of it can be missed.
        "unwatched": [
            EnquiryType(c).label
            for c in categories_without_all(user.organisation, EnquiryType.values)
        ]
        if user.has_role("admin") and user.organisation
        else [],
        "offers": offers,
        "tag": tag,
        "counters": counters(user),
        "close_reasons": user.organisation.close_reasons if user.organisation else {},
    }
    return render(request, "web/enquiry_list.html", context)


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
        "values_visible": access is Access.OWNER,
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
        "assign_form": AssignForm(brand=enquiry.owner) if dispatch else None,
        **documents_context(user, access, enquiry),
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
