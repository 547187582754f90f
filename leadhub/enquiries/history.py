"""Writing history entries: the one place that does, so every entry has the same shape."""

from __future__ import annotations

from typing import Any

from leadhub.orgs.models import Organisation, User

from .models import Enquiry, HistoryCategory, HistoryEntry


def entry(
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
    """An unsaved entry, for writers that insert several in one statement (bulk_create)."""
    return HistoryEntry(
        enquiry=enquiry,
        category=category,
        kind=kind,
        message=message,
        actor=actor,
        organisation=organisation or (actor.organisation if actor else None),
        data=data or {},
        private_to=private_to,
    )


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
    saved = entry(
        enquiry,
        category=category,
        kind=kind,
        message=message,
        actor=actor,
        organisation=organisation,
        data=data,
        private_to=private_to,
    )
    saved.save(force_insert=True)
    return saved
