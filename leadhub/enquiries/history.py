"""Writing history entries: the one place that does, so every entry has the same shape."""

from __future__ import annotations

from typing import Any

from leadhub.orgs.models import Organisation, User

from .models import Enquiry, HistoryCategory, HistoryEntry


def record(
    enquiry: Enquiry,
    *,
    category: HistoryCategory,
    kind: str,
    message: str,
    actor: User | None = None,
    organisation: Organisation | None = None,
    data: dict[str, Any] | None = None,
    private_to: Organisation | None = None,
) -> HistoryEntry:
    return HistoryEntry.objects.create(
        enquiry=enquiry,
        category=category,
        kind=kind,
        message=message,
        actor=actor,
        organisation=organisation or (actor.organisation if actor else None),
        data=data or {},
        private_to=private_to,
    )
