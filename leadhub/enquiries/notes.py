"""Notes on an enquiry (C3): anyone who works it may add one; only the author edits or
removes it; system and action entries are never editable."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from leadhub.orgs.models import User
from leadhub.search import index as search_index

from .history import record
from .models import Enquiry, HistoryCategory, HistoryEntry
from .reading import touch

MAX_LENGTH = 10_000


class NoteRefused(ValueError):
    """The note cannot be written or changed; the message says why."""


def _clean(text: str) -> str:
    text = text.strip()
    if not text:
        raise NoteRefused("A note needs some text.")
    if len(text) > MAX_LENGTH:
        raise NoteRefused(f"A note has at most {MAX_LENGTH} characters.")
    return text


@transaction.atomic
def add_note(enquiry: Enquiry, *, by: User, text: str) -> HistoryEntry:
    note = record(
        enquiry, category=HistoryCategory.NOTE, kind="note", message=_clean(text), actor=by
    )
    touch(enquiry, note.at)
    search_index.refresh([enquiry.pk])
    return note


def own_note(enquiry: Enquiry, note_id: int, by: User) -> HistoryEntry:
    note = enquiry.history.filter(
        pk=note_id, category=HistoryCategory.NOTE, removed_at__isnull=True
    ).first()
    if note is None:
        raise NoteRefused("There is no such note.")
    if note.actor_id != by.pk:
        raise NoteRefused("Only its author may change a note.")
    return note


@transaction.atomic
def edit_note(
    enquiry: Enquiry, note_id: int, *, by: User, text: str, now: datetime
) -> HistoryEntry:
    note = own_note(enquiry, note_id, by)
    note.message, note.edited_at = _clean(text), now
    note.save(update_fields=["message", "edited_at"])
    touch(enquiry, now)
    search_index.refresh([enquiry.pk])
    return note


@transaction.atomic
def remove_note(enquiry: Enquiry, note_id: int, *, by: User, now: datetime) -> None:
    note = own_note(enquiry, note_id, by)
    note.removed_at = now
    note.save(update_fields=["removed_at"])
    search_index.refresh([enquiry.pk])
