"""Deciding what one check found (decision 0048), whichever store read the rows: the
checked contact, the organisation's contacts one of its keys or its name led to, and the
brand's referrals with its e-mail, phone or national id. Pure: scoring.py scores each
pair, this module spots switchboards and orders the result. Reading the rows is the
stores' job (portable.py with the ORM, postgres.py in few statements)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .keys import name_entry, name_key
from .scoring import Match, Person, person, score

PER_KEY = 50  # rows read per exact key; a switchboard has many, a few show it is one
PER_NAME = 100  # fuzzy rows read per postal code
TRIGRAM = 0.3  # pg_trgm similarity, as loose as `%`
LOOSE = 60  # the fuzzy path's first cut on SQLite (PostgreSQL: `%`, similarity 0.3)
SWITCHBOARD_NAMES = 2  # other people's names on one phone make it a shared number


@dataclass(frozen=True)
class Record:
    """A person as a check reads it. The checked contact: its fields with its e-mail and
    phone rows (else its mirror columns). A hit: a contact's fields with its stored keys
    and its newest open enquiry at the organisation. A referral: its client's names,
    e-mail, phone and national id."""

    id: int
    first_name: str = ""
    last_name: str = ""
    country: str = ""
    national_id: str = ""
    postal_code: str = ""
    street: str = ""
    city: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    open_enquiry_id: int | None = None


@dataclass(frozen=True)
class Found:
    contact_id: int | None
    referral_id: int | None
    match: Match
    open_enquiry_id: int | None = None

    @property
    def pair(self) -> tuple[int | None, int | None]:
        return (self.contact_id, self.referral_id)


def with_mirror(rows: Sequence[str], mirror: str) -> tuple[str, ...]:
    """A contact's e-mail (or phone) rows, else its mirror column; never an empty one."""
    return tuple(v for v in (rows or [mirror]) if v)


def referral_record(
    pk: int, first: str, last: str, email: str, phone: str, national_id: str
) -> Record:
    """A referral's client as a person: no address, phone parsed without a country."""
    return Record(
        id=pk,
        first_name=first,
        last_name=last,
        national_id=national_id,
        emails=(email,) if email else (),
        phones=(phone,) if phone else (),
    )


def name_row(record: Record) -> tuple[str, str] | None:
    """The contact's ContactName (folded name, postal code), None without a name."""
    return name_entry(record.first_name, record.last_name, record.postal_code)


def person_of(record: Record, shared_phones: frozenset[str] = frozenset()) -> Person:
    return person(
        first_name=record.first_name,
        last_name=record.last_name,
        emails=record.emails,
        phones=record.phones,
        country=record.country,
        national_id=record.national_id,
        postal_code=record.postal_code,
        street=record.street,
        city=record.city,
        shared_phones=shared_phones,
    )


def decide(
    probe: Person, phones: set[str], hits: Sequence[Record], referrals: Sequence[Record]
) -> list[Found]:
    """What is shown, best first. `probe`: person_of(the checked contact); `phones`: its
    phone keys; `hits`: its organisation's contacts (never itself, none kept apart from
    it); `referrals`: the brand's pending ones (none kept apart)."""
    shared = _switchboards(phones, hits)
    me = replace(probe, shared_phones=shared)
    found: list[Found] = []
    for hit in hits:
        match = score(me, person_of(hit, shared))
        if match.shown:
            found.append(Found(hit.id, None, match, hit.open_enquiry_id))
    for referral in referrals:
        match = score(me, person_of(referral, shared))
        if match.shown:
            found.append(Found(None, referral.id, match))
    found.sort(key=lambda f: (-f.match.score, f.contact_id or 0, f.referral_id or 0))
    return found


def _switchboards(phones: set[str], hits: Sequence[Record]) -> frozenset[str]:
    """The probe's phones that other people of different names share here: the hits
    hold every contact with the phone (up to PER_KEY of them)."""
    names: dict[str, set[str]] = defaultdict(set)
    for hit in hits:
        for phone in phones.intersection(hit.phones):
            names[phone].add(name_key(hit.first_name, hit.last_name))
    return frozenset(p for p, n in names.items() if len(n) >= SWITCHBOARD_NAMES)
