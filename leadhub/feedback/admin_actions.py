"""What a brand's admins do with the outbox: look at it, and send events again."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Count, QuerySet

from leadhub.orgs.models import Organisation

from .models import DeliveryState, FeedbackEvent


def outbox_of(brand: Organisation) -> QuerySet[FeedbackEvent]:
    return FeedbackEvent.objects.filter(brand=brand).select_related("enquiry")


def counts(brand: Organisation) -> dict[str, int]:
    rows = outbox_of(brand).values("state").annotate(n=Count("id"))
    found = {r["state"]: r["n"] for r in rows}
    return {state: found.get(state, 0) for state in DeliveryState.values}


@transaction.atomic
def resend(brand: Organisation, event_id: int, now: datetime) -> bool:
    """Queue an event again (a failed one, or a delivered one the brand lost)."""
    return bool(
        outbox_of(brand)
        .filter(pk=event_id)
        .update(state=DeliveryState.PENDING, attempts=0, next_attempt_at=now, last_error="")
    )
