"""The sweeper: fires due deadlines, each exactly once, however many sweepers run.

A deadline is claimed by a conditional UPDATE (`... WHERE id = %s AND fired_at IS NULL`)
inside the transaction that also runs its handler: of two sweepers, or a sweeper and a
user action that cancels the deadline, exactly one sees its update count as 1; the
other sees 0 and moves on. On PostgreSQL candidates are locked with SKIP LOCKED so that
sweepers share the work instead of queueing behind each other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q

from .models import Deadline

log = logging.getLogger(__name__)

Handler = Callable[[Deadline, datetime], str]
HANDLERS: dict[str, Handler] = {}


def handles(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that fires deadlines of `kind`; it returns a one-line outcome."""

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


def sweep(now: datetime, *, batch: int = 50, limit: int | None = None) -> list[Fired]:
    """Fire every deadline due at `now`; returns what this sweeper fired."""
    fired: list[Fired] = []
    while limit is None or len(fired) < limit:
        fired_now = _sweep_batch(now, batch)
        fired += fired_now
        if not fired_now:
            break
    return fired


def _sweep_batch(now: datetime, batch: int) -> list[Fired]:
    """Claim up to `batch` due deadlines and fire each in a savepoint of one transaction.

    On PostgreSQL the rows stay locked (FOR UPDATE SKIP LOCKED) until the batch commits, so
    a second sweeper takes the next rows instead of racing for these. Lock order is always
    deadline, then enquiry: user actions cancel an offer's deadline before they lock its
    enquiry, so sweepers and users never deadlock.
    """
    fired: list[Fired] = []
    with transaction.atomic():
        candidates = Deadline.objects.filter(due(now)).order_by("due_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        for deadline_id in list(candidates.values_list("id", flat=True)[:batch]):
            try:
                result = fire(deadline_id, now)
            except Exception:
                # One broken handler must not stop the others; it stays due and is retried.
                log.exception("deadline %s failed to fire", deadline_id)
                continue
            if result is not None:
                fired.append(result)
    for f in fired:
        log.info(
            "fired %s deadline %s of %s: %s", f.kind, f.deadline_id, f.enquiry_number, f.outcome
        )
    return fired


def fire(deadline_id: int, now: datetime) -> Fired | None:
    """Claim and fire one deadline atomically; None if someone else got it first."""
    with transaction.atomic():
        claimed = Deadline.objects.filter(due(now), id=deadline_id).update(fired_at=now)
        if claimed != 1:
            return None
        deadline = Deadline.objects.select_related("enquiry").get(id=deadline_id)
        handler = HANDLERS.get(deadline.kind)
        outcome = handler(deadline, now) if handler else f"no handler for {deadline.kind!r}"
        Deadline.objects.filter(id=deadline_id).update(outcome=outcome[:200])
    return Fired(deadline_id, deadline.kind, deadline.enquiry.number, outcome)


def cancel(deadline: Deadline, now: datetime) -> bool:
    """Cancel a pending deadline; False if the sweeper fired it first (the caller lost the race)."""
    return (
        Deadline.objects.filter(
            id=deadline.pk, fired_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=now)
        == 1
    )
