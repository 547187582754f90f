"""Writing status changes into the outbox, inside the transaction that changes them.

Writers call `note_status_changes` with the enquiries they saved. An enquiry remembers the
status it was loaded with (Enquiry.status_as_loaded), so a change is the difference; only
enquiries that came in through a channel of a brand with an endpoint are noted (F5).
Which brands have one is cached per process for a few seconds: intake must not pay a
query for it (docs/benchmarks.md).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from datetime import datetime

from leadhub.enquiries.models import Enquiry

from .models import FeedbackEndpoint, FeedbackEvent

CACHE_SECONDS = 10.0
_cache: tuple[float, frozenset[int]] = (0.0, frozenset())


def brands_with_endpoint() -> frozenset[int]:
    global _cache
    at, ids = _cache
    if time.monotonic() - at > CACHE_SECONDS:
        ids = frozenset(FeedbackEndpoint.objects.values_list("brand_id", flat=True))
        _cache = (time.monotonic(), ids)
    return ids


def forget_endpoints() -> None:
    """After an endpoint is added or removed (network load, tests)."""
    global _cache
    _cache = (0.0, frozenset())


def note_status_changes(enquiries: Iterable[Enquiry]) -> None:
    """Outbox rows for the enquiries whose status differs from the one they were loaded
    with; each change is dated by the enquiry's `updated_at` (the writer's now)."""
    events = []
    brands: frozenset[int] | None = None
    for e in enquiries:
        before = e.status_as_loaded
        if e.status == before:
            continue
        e.status_as_loaded = e.status
        if e.channel_id is None or e.origin_brand_id is None:
            continue  # only enquiries from the brand's own channels (F5)
        if brands is None:
            brands = brands_with_endpoint()
        if e.origin_brand_id not in brands:
            continue
        events.append(
            FeedbackEvent(
                brand_id=e.origin_brand_id,
                enquiry=e,
                created_at=e.updated_at,
                next_attempt_at=e.updated_at,
                payload=payload(e, before, e.updated_at),
            )
        )
    if events:
        FeedbackEvent.objects.bulk_create(events)


def payload(e: Enquiry, before: str, at: datetime) -> dict[str, object]:
    """What the brand's system gets: enough to match (its own external id; the number is
    added at delivery, as intake gives it last) and to act; never the partner's amounts or
    the contact's data."""
    return {
        "event_id": str(uuid.uuid4()),
        "type": "enquiry.status_changed",
        "at": at.isoformat(),
        "enquiry": {"external_id": e.external_id, "type": e.type},
        "status": e.status,
        "previous_status": before or None,
        "holder": {"key": e.owner.key, "name": e.owner.name, "kind": e.owner.kind},
    }
