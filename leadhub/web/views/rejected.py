"""Rejected deliveries (issue 5): what the brand's channels refused, for its admins."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from leadhub.intake.models import RejectedDelivery

from .common import current_user

SHOWN = 100  # newest first; older ones by channel filter (kept 30 days anyway)


@login_required
def rejected_deliveries(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.has_role("admin") or user.organisation is None:
        raise Http404
    rows = RejectedDelivery.objects.filter(channel__brand=user.organisation).select_related(
        "channel"
    )
    channel = request.GET.get("channel", "")
    if channel:
        rows = rows.filter(channel__key=channel)
    context = {
        "rows": rows[:SHOWN],
        "total": rows.count(),
        "channel": channel,
        "channels": user.organisation.channels.order_by("key").values_list("key", flat=True),
    }
    return render(request, "web/rejected.html", context)
