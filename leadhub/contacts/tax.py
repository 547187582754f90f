"""VAT numbers and national identity numbers, validated per country with python-stdnum
(pure). Stored is stdnum's compact form (no spaces, dots or country prefix)."""

from __future__ import annotations

from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.util import get_cc_module

from .identifiers import IdentifierError

# Personal identity numbers we know how to check; other countries keep what was typed.
NATIONAL_IDS: dict[str, tuple[str, ...]] = {
    "IT": ("codicefiscale",),
    "PL": ("pesel",),
    "ES": ("dni", "nie"),
    "PT": ("cc",),
    "FR": ("nir",),
    "DE": ("idnr",),
    "AT": ("vnr",),
    "BE": ("nn",),
    "NL": ("bsn",),
}
MAX_LENGTH = 32


def _module(country: str, name: str) -> Any:
    return get_cc_module(country.lower(), name)


def normalise_vat(raw: str, country: str) -> str:
    """The compact VAT number of a contact in `country` ('' if none given)."""
    text = raw.strip()
    if not text:
        return ""
    cc = country.strip().upper()
    if not cc:
        raise IdentifierError("give the contact's country to check the VAT number")
    module = _module(cc, "vat")
    if module is None:
        raise IdentifierError(f"VAT numbers of {cc} cannot be checked")
    try:
        compact: str = module.validate(text)
    except ValidationError as exc:
        raise IdentifierError(f"not a valid VAT number for {cc}: {exc}") from exc
    return compact


def normalise_national_id(raw: str, country: str) -> str:
    """The compact national id of a contact in `country` ('' if none); checked where
    stdnum knows the country's number, else kept as typed (spaces collapsed)."""
    text = " ".join(raw.split())
    if not text:
        return ""
    cc = country.strip().upper()
    names = NATIONAL_IDS.get(cc, ())
    if not names:
        if len(text) > MAX_LENGTH:
            raise IdentifierError(f"at most {MAX_LENGTH} characters")
        return text
    problem = ""
    for name in names:
        module = _module(cc, name)
        if module is None:  # pragma: no cover - the table names stdnum's modules
            continue
        try:
            compact: str = module.validate(text)
        except ValidationError as exc:
            problem = problem or str(exc)
        else:
            return compact
    raise IdentifierError(f"not a valid national id for {cc}: {problem}")
