"""The sweeper: fires due deadlines, each exactly once, however many sweepers run.

Deadlines are claimed by a conditional UPDATE (`... SET fired_at = now WHERE id IN (...)
AND fired_at IS NULL AND cancelled_at IS NULL`) in the transaction that also runs their
handler: of two sweepers, or a sweeper and a user action that cancels a deadline, exactly
one changes the row; the other sees nothing to do. On PostgreSQL a sweeper locks its batch
with FOR UPDATE SKIP LOCKED, so several sweepers share the work instead of queueing.

Handlers take a whole batch of one kind, so that expiring thousands of offers costs a few
statements per batch rather than a few per offer. Lock order is always deadline, then
enquiry (user actions cancel an offer's deadline before they lock its enquiry).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q

from .models import Deadline

log = logging.getLogger(__name__)

Handler = Callable[[Sequence[Deadline], datetime], dict[int, str]]
HANDLERS: dict[str, Handler] = {}


def handles(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that fires a batch of deadlines of `kind`; it returns a
    one-line outcome per deadline id."""

    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


@dataclass(frozen=True)
class Fired:
    deadline_id: int
    kind: str
    enquiry_number: str
    outcome: str


def due(now: datetime) -> Q:
    return Q(fired_at__isnull=True, cancelled_at__isnull=True, due_at__lte=now)


def sweep(now: datetime, *, batch: int = 500) -> list[Fired]:
    """Fire every deadline due at `now`; returns what this sweeper fired."""
    fired: list[Fired] = []
    while True:
        fired_now = _sweep_batch(now, batch)
        fired += fired_now
        if not fired_now:
            return fired


def _sweep_batch(now: datetime, batch: int) -> list[Fired]:
    with transaction.atomic():
        candidates = Deadline.objects.filter(due(now)).order_by("due_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("id", flat=True)[:batch])
        by_kind: dict[str, list[int]] = defaultdict(list)
        for deadline_id, kind in Deadline.objects.filter(id__in=ids).values_list("id", "kind"):
            by_kind[kind].append(deadline_id)
        fired: list[Fired] = []
        for kind, kind_ids in by_kind.items():
            try:
                fired += _fire_many(kind_ids, now)
            except Exception:
                # Isolate the broken one: fire one by one; a failing deadline stays due.
                log.exception(
                    "batch of %s %s deadlines failed; firing one by one", len(kind_ids), kind
                )
                for deadline_id in kind_ids:
                    try:
                        fired += _fire_many([deadline_id], now)
                    except Exception:
                        log.exception("deadline %s failed to fire; it stays due", deadline_id)
    for f in fired:
        log.info(
            "fired %s deadline %s of %s: %s", f.kind, f.deadline_id, f.enquiry_number, f.outcome
        )
    return fired


def fire(deadline_id: int, now: datetime) -> Fired | None:
    """Claim and fire one deadline atomically; None if someone else got it first."""
    fired = _fire_many([deadline_id], now)
    return fired[0] if fired else None


def _fire_many(ids: Sequence[int], now: datetime) -> list[Fired]:
    with transaction.atomic():
        pending = Deadline.objects.filter(due(now), id__in=ids)
        if connection.features.has_select_for_update_skip_locked:
            # Rows another transaction holds (a user cancelling) are left to it.
            pending = pending.select_for_update(skip_locked=True)
        claimed = list(pending.select_related("enquiry").order_by("id"))
        if not claimed:
            return []
        Deadline.objects.filter(id__in=[d.pk for d in claimed]).update(fired_at=now)
        kinds = {d.kind for d in claimed}
        outcomes: dict[int, str] = {}
        for kind in kinds:
            handler = HANDLERS.get(kind)
            if handler is None:
                # Never mark a deadline fired that nobody handled: it stays due (and is logged).
                raise LookupError(f"no handler for deadlines of kind {kind!r}")
            outcomes |= handler([d for d in claimed if d.kind == kind], now)
    return [Fired(d.pk, d.kind, d.enquiry.number, outcomes.get(d.pk, "")) for d in claimed]


def cancel(deadline: Deadline, now: datetime) -> bool:
    """Cancel a pending deadline; False if the sweeper fired it first (the caller lost the race)."""
    return (
        Deadline.objects.filter(
            id=deadline.pk, fired_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=now)
        == 1
    )
