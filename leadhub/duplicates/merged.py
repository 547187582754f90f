"""Contacts merged into another (decision 0048) stay, empty, so that the merge can be
undone, and their page stays reachable (the merge's history and the undo name them). They
are no one to find, pick or suggest any more: lookups leave them out with this."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from .models import Merge


def merged_away(contact: str = "pk") -> Exists:
    """True where the row's `contact` (a contact id) is merged away now."""
    return Exists(Merge.objects.filter(merged_id=OuterRef(contact), undone_at=None))
