"""Checking what a person typed for a contact (pure): every problem at once, by field, so a
form or the API can show them all. Identifier rules live in identifiers.py, tax.py and
provinces.py; this module only puts them together."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from .identifiers import IdentifierError, normalise_email, normalise_phone
from .models import ContactKind, EmailLabel, PhoneLabel
from .provinces import check_province
from .tax import normalise_national_id, normalise_vat


class ContactInvalid(ValueError):
    """`problems` maps a field ("vat_number", "emails.1") to what is wrong with it."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class ContactDetails:
    kind: str = ContactKind.PRIVATE
    title: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    vat_number: str = ""
    national_id: str = ""
    language: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    province: str = ""
    country: str = ""


@dataclass(frozen=True)
class EmailRow:
    email: str
    label: str = EmailLabel.WORK


@dataclass(frozen=True)
class PhoneRow:
    phone: str
    label: str = PhoneLabel.WORK


LIMITS = {
    "title": 40,
    "first_name": 100,
    "last_name": 100,
    "company": 200,
    "language": 8,
    "street": 200,
    "postal_code": 16,
    "city": 100,
}
MAX_ROWS = 10


def check_details(d: ContactDetails, problems: dict[str, str] | None = None) -> ContactDetails:
    """`d` normalised; raises ContactInvalid unless `problems` is given to collect into."""
    own = problems if problems is not None else {}
    text = {f: " ".join(str(getattr(d, f)).split()) for f in LIMITS}
    for name, limit in LIMITS.items():
        if len(text[name]) > limit:
            own[name] = f"at most {limit} characters"
    country = d.country.strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        own["country"] = "a two-letter country code, e.g. IT"
        country = ""
    if d.kind not in ContactKind.values:
        own["kind"] = f"one of {', '.join(ContactKind.values)}"
    if not (text["last_name"] or text["company"]):
        own["last_name"] = "a last name or a company is required"
    cleaned = {"province": "", "vat_number": "", "national_id": ""}
    checks: tuple[tuple[str, Callable[[], str]], ...] = (
        ("province", lambda: check_province(country, d.province)),
        ("vat_number", lambda: normalise_vat(d.vat_number, country)),
        ("national_id", lambda: normalise_national_id(d.national_id, country)),
    )
    for name, check in checks:
        try:
            cleaned[name] = check()
        except IdentifierError as exc:
            own[name] = str(exc)
    if problems is None and own:
        raise ContactInvalid(own)
    return replace(
        d,
        **(text | {"language": text["language"].lower()}),
        country=country,
        province=cleaned["province"],
        vat_number=cleaned["vat_number"],
        national_id=cleaned["national_id"],
    )


def check_emails(rows: Sequence[EmailRow], problems: dict[str, str]) -> list[EmailRow]:
    """Normalised rows in the given order, blanks and repeats dropped; problems by row."""
    out: list[EmailRow] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if not row.email.strip():
            continue
        try:
            email = normalise_email(row.email)
        except IdentifierError as exc:
            problems[f"emails.{i}"] = str(exc)
            continue
        if row.label not in EmailLabel.values:
            problems[f"emails.{i}"] = f"label: one of {', '.join(EmailLabel.values)}"
        elif email not in seen:
            seen.add(email)
            out.append(EmailRow(email, row.label))
    if len(out) > MAX_ROWS:
        problems["emails"] = f"at most {MAX_ROWS} addresses"
    return out


def check_phones(
    rows: Sequence[PhoneRow], country: str, problems: dict[str, str]
) -> list[PhoneRow]:
    """E.164 rows (national numbers read for the contact's country), like check_emails."""
    out: list[PhoneRow] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if not row.phone.strip():
            continue
        try:
            phone = normalise_phone(row.phone, country)
        except IdentifierError as exc:
            problems[f"phones.{i}"] = str(exc)
            continue
        if row.label not in PhoneLabel.values:
            problems[f"phones.{i}"] = f"label: one of {', '.join(PhoneLabel.values)}"
        elif phone not in seen:
            seen.add(phone)
            out.append(PhoneRow(phone, row.label))
    if len(out) > MAX_ROWS:
        problems["phones"] = f"at most {MAX_ROWS} numbers"
    return out
