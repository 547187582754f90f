"""Finding an organisation's own contacts by name, company, e-mail or phone (A6 picks an
existing contact this way; the ranked full-text search is E2's). Not contacts merged into
another: those are kept only so that the merge can be undone."""

from __future__ import annotations

from django.db.models import Q

from leadhub.duplicates.merged import merged_away
from leadhub.lib.words import every_word_in_some_field
from leadhub.orgs.models import Organisation

from .models import Contact

FIELDS = ("first_name", "last_name", "company", "email", "phone", "city")


def find_contacts(owner: Organisation, query: str, *, limit: int = 10) -> list[Contact]:
    words = query.split()
    if not words:
        return []
    # A phone number typed with spaces or a leading 0 still finds the E.164 form's digits.
    match = every_word_in_some_field(words, FIELDS)
    digits = "".join(ch for ch in query if ch.isdigit()).lstrip("0")
    if len(digits) >= 6:
        match |= Q(phone__contains=digits)
    return list(
        Contact.objects.filter(owner=owner)
        .filter(match)
        .exclude(merged_away())  # empty, kept for undo: no one to pick
        .order_by("last_name", "company", "id")[:limit]
    )
