"""Refused deliveries are kept for inspection (issue 5): the brand's admins see what a
sender got wrong and fix it. Only for authenticated channels: anonymous junk is not stored."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .leaddata import FieldError
from .models import Channel, RejectedDelivery

MAX_BODY_CHARS = 1_000_000


def keep_rejected(
    channel: Channel,
    body: bytes,
    *,
    reason: str,
    errors: list[FieldError] | None = None,
    content_type: str = "",
) -> RejectedDelivery:
    """Store the refused delivery (outside any transaction of the refused work) and purge
    this channel's rejections older than the retention period."""
    now = timezone.now()
    keep_days = int(getattr(settings, "REJECTED_KEEP_DAYS", 30))
    RejectedDelivery.objects.filter(
        channel=channel, received_at__lt=now - timedelta(days=keep_days)
    ).delete()
    return RejectedDelivery.objects.create(
        channel=channel,
        received_at=now,
        content_type=content_type[:200],
        body=body.decode("utf-8", errors="replace")[:MAX_BODY_CHARS],
        reason=reason[:500],
        errors=[{"field": e.field, "message": e.message} for e in errors or []],
    )
