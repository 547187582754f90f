"""Web pages: short function views; every one starts from an access-checked query."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from leadhub.enquiries.models import EnquiryType, Status
from leadhub.enquiries.pagination import BadCursor, by_due_date
from leadhub.enquiries.preview import preview_of
from leadhub.enquiries.queries import (
    Access,
    counters,
    enquiry_for_user,
    history_for_user,
    may_dispatch,
    may_react_to_offer,
    pending_offer_of,
    visible_enquiries,
    with_pending_offer,
)
from leadhub.orgs.access import categories_without_all
from leadhub.orgs.models import User
from leadhub.routing.actions import (
    HandOffError,
    accept_offer,
    add_absence,
    assign_by_hand,
    reject_offer,
    remove_absence,
    route,
)

from .forms import AbsenceForm, AssignForm, RejectForm

PAGE_SIZE = 50
TABS = ("all", "mine", "queue", "returned")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus: a logged-in user keeps the choice on their profile."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if isinstance(user, User) and language in dict(settings.LANGUAGES):
        user.language = language
        user.save(update_fields=["language"])
    return response


def home(request: HttpRequest) -> HttpResponse:
    return redirect("enquiry-list")


@login_required
def enquiry_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    org = user.organisation_id
    tab = request.GET.get("tab", "all")
    tab = tab if tab in TABS else "all"
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
    qs = with_pending_offer(visible.exclude(pk__in=[e.pk for e, _p, _o in offers]))
    if tab == "mine":
        qs = qs.filter(assigned_user=user)
    elif tab == "queue":
        qs = qs.filter(
            owner_id=org, assigned_user__isnull=True, assigned_unit__isnull=True
        ).exclude(status=Status.OFFERED)
    elif tab == "returned":
        qs = qs.filter(owner_id=org, returned_at__isnull=False)
    try:
        page = by_due_date(qs, cursor=request.GET.get("cursor"), limit=PAGE_SIZE)
    except BadCursor:
        return redirect(f"{request.path}?tab={tab}")
    context = {
        # B9: while a category has nobody who sees all of it, enquiries of it can be missed.
        "unwatched": [
            EnquiryType(c).label
            for c in categories_without_all(user.organisation, EnquiryType.values)
        ]
        if user.has_role("admin") and user.organisation
        else [],
        "page": page,
        "offers": offers,
        "tab": tab,
        "counters": counters(user),
        "now": timezone.now(),
        "org_id": org,
    }
    template = "web/enquiry_list.html"
    if getattr(request, "htmx", False):
        template += "#rows"
    return render(request, template, context)


@login_required
def enquiry_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    enquiry, access = enquiry_for_user(user, number)
    context: dict[str, object] = {
        "enquiry": enquiry,
        "access": access.value,
        "offer": pending_offer_of(enquiry),
        "now": timezone.now(),
    }
    if access is Access.PREVIEW:
        context |= {
            "preview": preview_of(enquiry),
            "may_react": may_react_to_offer(user, access),
            "reject_form": RejectForm(),
        }
        return render(request, "web/offer_preview.html", context)
    context |= {
        "contact": enquiry.contact,
        "history": list(history_for_user(user, enquiry, access)),
        "may_dispatch": may_dispatch(user, access, enquiry),
        "returned_note": history_for_user(user, enquiry, access)
        .filter(kind="offer_returned")
        .last(),
        "assign_form": AssignForm(brand=enquiry.owner)
        if may_dispatch(user, access, enquiry)
        else None,
    }
    return render(request, "web/enquiry_detail.html", context)


@login_required
def absences(request: HttpRequest) -> HttpResponse:
    """B8: the user's own absences and substitutes."""
    user = _user(request)
    form = AbsenceForm(request.POST or None, user=user)
    if request.method == "POST":
        if "remove" in request.POST:
            remove_absence(
                user, int(request.POST["remove"]) if request.POST["remove"].isdigit() else 0
            )
            messages.success(request, _("Absence removed."))
            return redirect("absences")
        if form.is_valid():
            add_absence(user, **form.cleaned_data)
            messages.success(
                request, _("Absence saved: new enquiries go to your substitute meanwhile.")
            )
            return redirect("absences")
    return render(
        request,
        "web/absences.html",
        {
            "form": form,
            "absences": user.absences.select_related("substitute").order_by("starts_on", "id"),
        },
        status=400 if form.errors else 200,
    )


def _back(number: str) -> HttpResponse:
    return redirect("enquiry-detail", number=number)


@login_required
@require_POST
def accept(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    enquiry, access = enquiry_for_user(user, number)
    if not may_react_to_offer(user, access):
        raise Http404
    try:
        accept_offer(enquiry, by=user, now=timezone.now())
    except HandOffError as exc:
        messages.error(request, str(exc))
        return redirect("enquiry-list")
    messages.success(request, _("Accepted: the enquiry is yours now."))
    return _back(number)


@login_required
@require_POST
def reject(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    enquiry, access = enquiry_for_user(user, number)
    if not may_react_to_offer(user, access):
        raise Http404
    form = RejectForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "web/offer_preview.html",
            {
                "enquiry": enquiry,
                "access": access.value,
                "preview": preview_of(enquiry),
                "may_react": True,
                "reject_form": form,
                "offer": pending_offer_of(enquiry),
                "now": timezone.now(),
            },
            status=400,
        )
    try:
        reject_offer(enquiry, by=user, reason=form.cleaned_data["reason"], now=timezone.now())
    except HandOffError as exc:
        messages.error(request, str(exc))
        return redirect("enquiry-list")
    messages.success(request, _("Rejected: the enquiry went back to the brand."))
    return redirect("enquiry-list")


@login_required
@require_POST
def assign(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    enquiry, access = enquiry_for_user(user, number)
    if not may_dispatch(user, access, enquiry):
        raise Http404
    form = AssignForm(request.POST, brand=enquiry.owner)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, str(error))
        return _back(number)
    try:
        routed = assign_by_hand(
            enquiry,
            by=user,
            now=timezone.now(),
            **{k: v for k, v in form.cleaned_data.items() if v},
        )
    except HandOffError as exc:
        messages.error(request, str(exc))
        return _back(number)
    messages.success(request, routed.description[0].upper() + routed.description[1:] + ".")
    return _back(number)


@login_required
@require_POST
def route_again(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    enquiry, access = enquiry_for_user(user, number)
    if not may_dispatch(user, access, enquiry):
        raise Http404
    try:
        routed = route(enquiry, now=timezone.now(), occasion="by hand", actor=user)
    except HandOffError as exc:
        messages.error(request, str(exc))
        return _back(number)
    messages.success(request, routed.explanation)
    return _back(number)
