"""Status feedback (F5) for the brand's admins: pending and failed deliveries, resend."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from leadhub.feedback.admin_actions import counts, outbox_of, resend
from leadhub.feedback.models import DeliveryState, FeedbackEndpoint
from leadhub.orgs.models import Organisation

from .common import current_user

SHOWN = 100


def _brand_admin(request: HttpRequest) -> Organisation:
    user = current_user(request)
    if not user.has_role("admin") or user.organisation is None or not user.organisation.is_brand:
        raise Http404
    return user.organisation


@login_required
def status_feedback(request: HttpRequest) -> HttpResponse:
    brand = _brand_admin(request)
    if request.method == "POST":
        if resend(brand, int(request.POST.get("event", "0") or 0), timezone.now()):
            messages.success(request, _("Queued again; it is sent within a minute."))
        return redirect("status-feedback")
    state = request.GET.get("state", DeliveryState.FAILED)
    state = state if state in DeliveryState.values else DeliveryState.FAILED
    context = {
        "endpoint": FeedbackEndpoint.objects.filter(brand=brand).first(),
        "counts": counts(brand),
        "state": state,
        "states": DeliveryState.choices,
        "events": outbox_of(brand).filter(state=state).order_by("-id")[:SHOWN],
    }
    return render(request, "web/status_feedback.html", context)
