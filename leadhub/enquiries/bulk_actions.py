"""Bulk actions (C6): one pipeline action on several enquiries, all or nothing per enquiry,
with a result per row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404

from leadhub.orgs.models import User

from .pipeline import ActionInput, ActionRefused, perform
from .queries import enquiry_for_user, may_work
from .states import TransitionError

BULK_ACTIONS = ("start", "hold", "hold_quote", "close")
MAX_ROWS = 200


@dataclass(frozen=True)
class RowResult:
    number: str
    ok: bool
    detail: str  # the new status, or why the row was refused


def perform_bulk(
    numbers: list[str], action: str, *, by: User, now: datetime, data: ActionInput
) -> list[RowResult]:
    if action not in BULK_ACTIONS:
        raise ActionRefused(f"Bulk actions are: {', '.join(BULK_ACTIONS)}.")
    if not 1 <= len(numbers) <= MAX_ROWS:
        raise ActionRefused(f"Select between 1 and {MAX_ROWS} enquiries.")
    results = []
    for number in dict.fromkeys(numbers):  # each once, in the order given
        try:
            enquiry, access = enquiry_for_user(by, number)
            if not may_work(by, access, enquiry):
                raise Http404
            done = perform(enquiry, action, by=by, now=now, data=data)  # its own transaction
        except Http404:
            results.append(RowResult(number, False, "No such enquiry, or not yours to work."))
        except (TransitionError, ActionRefused) as exc:
            results.append(RowResult(number, False, str(exc)))
        else:
            results.append(RowResult(number, True, done.status))
    return results
