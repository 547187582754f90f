"""Scoring a pair of person records (pure, decision 0047): a score from 0 to 100 and the
reasons in words. Shown from SHOWN up; the user decides, nothing merges by itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .keys import email_key, fold, name_key, national_id_key, phone_key, postal_key

SHOWN = 70  # candidates below are not stored
FUZZY_NAME = 85  # the whole name at least this similar ...
FIRST_NAME = 75  # ... and the first names (or one is the other's initial)
NAMES_AGREE = 80  # a shared phone or e-mail counts when names are this similar (or missing)


@dataclass(frozen=True)
class Person:
    """One record's keys; build with `person()` so every field is folded alike."""

    first: str = ""
    last: str = ""
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    national_id: str = ""
    postal_code: str = ""
    street: str = ""
    city: str = ""
    # Phones of this record known to be shared by people of other names (switchboards).
    shared_phones: frozenset[str] = field(default=frozenset())

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}".strip()


def person(
    *,
    first_name: str = "",
    last_name: str = "",
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    country: str = "",
    national_id: str = "",
    postal_code: str = "",
    street: str = "",
    city: str = "",
    shared_phones: Iterable[str] = (),
) -> Person:
    return Person(
        first=fold(first_name),
        last=fold(last_name),
        emails=frozenset(k for k in (email_key(e) for e in emails) if k),
        phones=frozenset(k for k in (phone_key(p, country) for p in phones) if k),
        national_id=national_id_key(national_id),
        postal_code=postal_key(postal_code),
        street=fold(street),
        city=fold(city),
        shared_phones=frozenset(shared_phones),
    )


@dataclass(frozen=True)
class Match:
    score: int
    reasons: tuple[str, ...]

    @property
    def shown(self) -> bool:
        return self.score >= SHOWN


@dataclass(frozen=True)
class Names:
    whole: int  # 0-100, word order ignored
    first_ok: bool  # first names compatible (or one side has none)
    last: int


def compare_names(a: Person, b: Person) -> Names | None:
    """None when either record has no name at all."""
    if not a.name or not b.name:
        return None
    whole = round(fuzz.token_sort_ratio(name_key(a.first, a.last), name_key(b.first, b.last)))
    straight = (_ratio(a.first, b.first), _ratio(a.last, b.last))
    swapped = (_ratio(a.first, b.last), _ratio(a.last, b.first))
    first, last = max(straight, swapped, key=lambda p: (min(p), sum(p)))
    if not a.first or not b.first:
        first_ok = True
    else:
        pair = (a.first, b.first) if straight >= swapped else (a.first, b.last)
        first_ok = first >= FIRST_NAME or _initial(*pair)
    return Names(whole=whole, first_ok=first_ok, last=last)


def score(a: Person, b: Person) -> Match:
    names = compare_names(a, b)
    agree = names is None or (names.whole >= NAMES_AGREE and names.first_ok)
    parts: list[tuple[int, str]] = []
    cap = 100
    if a.national_id and b.national_id:
        if a.national_id == b.national_id:
            parts.append((99, "same national id"))
        else:
            cap = 50  # two people, whatever else they share
    if a.emails & b.emails:
        parts.append((95, "same e-mail") if agree else (60, "same e-mail, another name"))
    shared = a.phones & b.phones
    if shared:
        switchboard = bool(shared & (a.shared_phones | b.shared_phones))
        if switchboard:
            # A company's switchboard is no evidence alone; with the same name it is.
            if agree and names is not None:
                parts.append((85, f"same shared phone + name {names.whole}%"))
            else:
                parts.append((20, "same phone, shared by several people"))
        elif agree:
            parts.append((90, "same phone"))
        else:
            parts.append((40, "same phone, another name"))
    if names is not None and names.whole >= FUZZY_NAME and names.first_ok:
        parts.append(_name_and_place(a, b, names.whole))
    if not parts:
        return Match(0, ())
    parts.sort(reverse=True)
    strong = sum(1 for s, _ in parts if s >= SHOWN)
    total = min(cap, 100, parts[0][0] + 3 * max(0, strong - 1))
    return Match(total, tuple(reason for _, reason in parts))


def _name_and_place(a: Person, b: Person, similarity: int) -> tuple[int, str]:
    same_postal = bool(a.postal_code) and a.postal_code == b.postal_code
    same_street = bool(a.street) and _ratio(a.street, b.street) >= 90
    if same_postal and same_street:
        return min(97, similarity), f"name {similarity}% + same address"
    if same_postal:
        return similarity - 8, f"name {similarity}% + same postal code"
    if a.city and a.city == b.city:  # a namesake in a big town is common: not enough
        return similarity - 32, f"name {similarity}% + same city"
    return similarity - 35, f"name {similarity}%"


def _ratio(x: str, y: str) -> int:
    if not x or not y:
        return 0
    return round(fuzz.ratio(x, y))


def _initial(x: str, y: str) -> bool:
    """ "j" and "jan" (or "j." folded) name the same first name."""
    short, long = sorted((x, y), key=len)
    return len(short) == 1 and long.startswith(short)
