"""Provinces where a country's addresses carry one (pure): Italy's provinces by their
two-letter sigla, Spain's provinces and Portugal's districts, from pycountry's ISO 3166-2
subdivisions. Stored is the code after the country prefix ("BZ", "MA", "01")."""

from __future__ import annotations

from functools import cache

import pycountry

from .identifiers import IdentifierError

# The level of subdivision an address names, per country (others keep free text).
LEVELS: dict[str, frozenset[str]] = {
    "IT": frozenset(
        {
            "Province",
            "Metropolitan city",
            "Autonomous province",
            "Free municipal consortium",
            "Decentralized regional entity",
        }
    ),
    "ES": frozenset({"Province", "Autonomous city in north africa"}),
    "PT": frozenset({"District", "Autonomous region"}),
}
# ISO has no province for the Aosta Valley (the region is one): its sigla is AO.
EXTRA: dict[str, dict[str, str]] = {"IT": {"AO": "Aosta"}}


def has_provinces(country: str) -> bool:
    return country.upper() in LEVELS


@cache
def provinces(country: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of the country's provinces, sorted by name; () if it has no list."""
    cc = country.upper()
    if cc not in LEVELS:
        return ()
    found = {
        s.code.split("-", 1)[1]: s.name
        for s in pycountry.subdivisions.get(country_code=cc) or []  # type: ignore[no-untyped-call]
        if s.type in LEVELS[cc]
    }
    found.update(EXTRA.get(cc, {}))
    return tuple(sorted(found.items(), key=lambda item: (item[1].casefold(), item[0])))


def check_province(country: str, raw: str) -> str:
    """The stored form of `raw` for `country`: a code from the list where the country has
    one (the code or the exact name is accepted), else the text as given."""
    text = " ".join(raw.split())
    choices = provinces(country)
    if not choices or not text:
        return text
    by_code = {code.upper(): code for code, _ in choices}
    if text.upper() in by_code:
        return by_code[text.upper()]
    by_name = {name.casefold(): code for code, name in choices}
    if text.casefold() in by_name:
        return by_name[text.casefold()]
    raise IdentifierError(f"not a province of {country.upper()}: {text}")
