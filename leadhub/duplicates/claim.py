"""What the worker's step needs from a store (portable.py, postgres.py): the claimed
pending check with the contact to check, and the reads and writes of one check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from .retrieval import Found, Record
from .scoring import Person

Keys = frozenset[tuple[str, str]]  # (kind, value), ContactKey's rows
NameRow = tuple[str, str] | None  # (name, postal code), ContactName's row


@dataclass(frozen=True)
class Stored:
    """The match keys stored for the contact when it was claimed."""

    keys: Keys
    name: NameRow


@dataclass(frozen=True)
class Claim:
    pending_id: int
    enquiry_id: int
    organisation_id: int
    is_brand: bool
    # The enquiry's contact; None when the enquiry changed owner since (the new owner has
    # a check of its own): nothing to check.
    probe: Record | None
    stored: Stored | None = None  # None: not read, so written again
    has_candidates: bool = True  # False: the enquiry has no candidates of it to replace


class Store(Protocol):
    def claim(self, now: datetime) -> Claim | None:
        """The oldest waiting check nobody else holds, locked until the transaction ends."""

    def write_keys(self, contact_id: int, keys: Keys, name: NameRow) -> None: ...

    def gather(
        self, claim: Claim, keys: Keys, name: NameRow, probe: Person
    ) -> tuple[list[Record], list[Record]]:
        """The organisation's contacts a key or the name leads to (with their keys and
        newest open enquiry) and, for a brand, its pending referrals with one of the
        probe's e-mails, phones or its national id; neither the checked contact nor
        anything kept apart from it."""

    def finish(self, claim: Claim, found: list[Found] | None, now: datetime) -> None:
        """Replace the open candidates by `found` (None: not checked, leave them), keep
        the decided ones, and mark the check done."""
