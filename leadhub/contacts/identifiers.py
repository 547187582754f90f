"""Normalising contact identifiers (pure): e-mail addresses and phone numbers."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class IdentifierError(ValueError):
    """The value cannot be normalised; the message says why, for the person who sent it."""


def normalise_email(raw: str) -> str:
    """Syntax-checked, lower-cased address (no DNS lookup: intake must not wait on the network)."""
    try:
        checked = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise IdentifierError(f"not a valid e-mail address: {exc}") from exc
    return checked.normalized.lower()


def normalise_phone(raw: str, country: str | None) -> str:
    """E.164 form of `raw`, read as a national number of `country` unless it has a prefix."""
    region = (country or "").upper() or None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise IdentifierError(f"not a phone number{_for(region)}: {exc._msg}") from exc
    if not phonenumbers.is_valid_number(number):
        raise IdentifierError(f"not a valid phone number{_for(region)}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _for(region: str | None) -> str:
    return f" for country {region}" if region else ""
