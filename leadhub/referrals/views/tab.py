"""The Referrals tab (E4): status tiles with counts, filters, the list, and a referral's
detail with its decisions, similar records, documents and the thread with the broker."""

from __future__ import annotations

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadhub.documents import serve
from leadhub.web.views.common import current_user

from ..actions import ReferralRefused, accept_referral, message_broker, reject_referral
from ..models import ReferralStatus
from ..queries import (
    BadFilter,
    Filters,
    apply_filters,
    forms_for_user,
    may_decide,
    may_manage_forms,
    may_see_referrals,
    parse_filters,
    referral_for_user,
    referrals_for_user,
    similar_to,
    status_counts,
)

PAGE_SIZE = 100
FILTER_NAMES = ("id", "client", "advisor", "created_from", "created_to", "project", "source")


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not may_see_referrals(user):
        raise Http404
    assert user.organisation is not None
    try:
        filters = parse_filters(request.GET)
    except BadFilter as exc:
        messages.error(request, str(exc))
        filters = Filters()
    tz = ZoneInfo(user.organisation.timezone)
    visible = referrals_for_user(user)
    counts = status_counts(apply_filters(visible, filters, tz, with_status=False))
    rows = apply_filters(visible, filters, tz).select_related("form")
    kept = {n: request.GET.get(n, "") for n in FILTER_NAMES if request.GET.get(n)}
    tiles: list[tuple[str, str, int]] = [("", _("All"), counts["all"])]
    tiles += [(value, str(label), counts[value]) for value, label in ReferralStatus.choices]
    forms = list(forms_for_user(user))
    context = {
        "tiles": [
            (value, label, n, "?" + urlencode({**kept, "status": value} if value else kept))
            for value, label, n in tiles
        ],
        "status": filters.status,
        "rows": rows[:PAGE_SIZE],
        "total": rows.count(),
        "shown": PAGE_SIZE,
        "filters": filters,
        "projects": sorted({f.project for f in forms}),
        "forms": forms,
        "may_manage_forms": may_manage_forms(user),
    }
    return render(request, "referrals/list.html", context)


@login_required
def detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = current_user(request)
    referral = referral_for_user(user, referral_id)
    context = {
        "referral": referral,
        "form": referral.form,
        "similar": similar_to(user, referral),
        "documents": list(referral.documents.all()),
        "thread": list(referral.messages.select_related("author")),
        "may_decide": may_decide(user) and referral.status == ReferralStatus.PENDING,
        "may_message": may_decide(user),
    }
    return render(request, "referrals/detail.html", context)


def _back(referral_id: int, section: str = "") -> HttpResponse:
    url = reverse("referral-detail", kwargs={"referral_id": referral_id})
    return redirect(f"{url}#{section}" if section else url)


@login_required
@require_POST
def decide(request: HttpRequest, referral_id: int, decision: str) -> HttpResponse:
    """Accept or reject, with the comment the broker gets by e-mail (G2)."""
    user = current_user(request)
    referral = referral_for_user(user, referral_id)
    if not may_decide(user) or decision not in ("accept", "reject"):
        raise Http404
    act = accept_referral if decision == "accept" else reject_referral
    try:
        act(referral.pk, by=user, comment=request.POST.get("comment", ""), now=timezone.now())
    except ReferralRefused as exc:
        messages.error(request, str(exc))
        return _back(referral_id)
    if decision == "accept":
        messages.success(request, _("Accepted; the broker is told by e-mail."))
    else:
        messages.success(request, _("Rejected; the broker is told by e-mail."))
    return _back(referral_id)


@login_required
@require_POST
def message(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = current_user(request)
    referral = referral_for_user(user, referral_id)
    if not may_decide(user):
        raise Http404
    try:
        message_broker(referral, by=user, text=request.POST.get("text", ""), now=timezone.now())
    except ReferralRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Sent to %(email)s.") % {"email": referral.broker_email})
    return _back(referral_id, "messages")


@login_required
def document_file(request: HttpRequest, referral_id: int, document_id: int) -> FileResponse:
    referral = referral_for_user(current_user(request), referral_id)
    doc = referral.documents.filter(pk=document_id).first()
    if doc is None:
        raise Http404
    return serve.download(doc)
