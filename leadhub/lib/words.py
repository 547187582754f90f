"""Typed-in searches over a few text columns (pure: builds a filter, runs no query)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import reduce
from operator import and_, or_

from django.db.models import Q


def every_word_in_some_field(words: Sequence[str], fields: Iterable[str]) -> Q:
    """Each word, case-insensitively, in at least one of the fields: "anna rossi" finds
    first name Anna and last name Rossi. `words` must not be empty."""
    names = tuple(fields)
    return reduce(and_, (reduce(or_, (Q(**{f"{f}__icontains": w}) for f in names)) for w in words))
