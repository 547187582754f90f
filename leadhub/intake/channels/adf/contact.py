"""<customer><contact> -> ContactData, lenient where a lead would otherwise be lost.

A lead is refused only when nobody could be called back: no valid e-mail and no valid
phone, or no name at all. An invalid e-mail beside a valid phone (or the reverse), extra
phones and an unknown country are kept as notes in the enquiry text instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element

from leadhub.contacts.identifiers import IdentifierError, normalise_email, normalise_phone
from leadhub.intake.leaddata import Address, ContactData, FieldError

from .document import attr, block, child, child_text, children, text
from .names import split_full_name

# `mobile` and `cell` are not in the spec (it says cellphone) but common.
PHONE_TYPES = {"mobile": "cellphone", "cell": "cellphone", "cellular": "cellphone"}
NOT_FOR_CALLING = {"fax", "pager"}
CALL_TIMES = {"morning", "afternoon", "evening", "day", "nopreference"}


@dataclass(frozen=True)
class ContactResult:
    contact: ContactData
    notes: list[str]
    errors: list[FieldError]


def read_contact(customer: Element | None, *, default_country: str, path: str) -> ContactResult:
    path = f"{path}.customer.contact"
    c = child(customer, "contact")
    notes: list[str] = []
    errors: list[FieldError] = []
    title, first, last, company = _names(c)
    address, country_note = _address(child(c, "address"), default_country)
    notes += country_note
    email, email_problem = _email(c)
    phone, phone_notes, phone_problem = _phone(c, address.country)
    notes += phone_notes
    if not (email or phone):
        errors += [FieldError(f"{path}.{f}", m) for f, m in (email_problem, phone_problem) if m]
        errors.append(FieldError(path, "an e-mail address or a phone number is required"))
    else:
        # One of them works, so the other's problem becomes a note, not a refusal.
        notes += [m for _, m in (email_problem, phone_problem) if m]
    if not (last or company):
        errors.append(FieldError(f"{path}.name", "a name is required"))
    contact = ContactData(
        title=title,
        first_name=first,
        last_name=last,
        company=company,
        email=email,
        phone=phone,
        kind="business" if company else "private",
        address=address,
    )
    return ContactResult(contact=contact, notes=notes, errors=errors)


def _names(c: Element | None) -> tuple[str, str, str, str]:
    parts: dict[str, list[str]] = {}
    company = ""
    for n in children(c, "name"):
        value = text(n)
        if not value:
            continue
        if attr(n, "type") == "business":
            company = company or value
            continue
        parts.setdefault(attr(n, "part") or "full", []).append(value)
    first = " ".join(parts.get("first", []) + parts.get("middle", []))
    last = " ".join(parts.get("last", []) + parts.get("suffix", []))
    title = ""
    if not last and parts.get("full"):
        whole = split_full_name(parts["full"][0])
        title, first, last = whole.title, first or whole.first, whole.last
    return title, first, last, company


def _address(a: Element | None, default_country: str) -> tuple[Address, list[str]]:
    lines = sorted(children(a, "street"), key=lambda s: attr(s, "line") or "1")
    given = child_text(a, "country")
    country = given.upper() if len(given) == 2 and given.isalpha() else default_country.upper()
    note = [f"Country as given: {given}"] if given and country != given.upper() else []
    address = Address(
        street=", ".join(v for v in (text(s) for s in lines) if v)[:200],
        postal_code=child_text(a, "postalcode")[:16],
        city=child_text(a, "city")[:100],
        province=child_text(a, "regioncode").upper()[:40],
        country=country,
    )
    return address, note


def _email(c: Element | None) -> tuple[str, tuple[str, str]]:
    given = [v for v in (text(e) for e in children(c, "email")) if v]
    for value in given:
        try:
            return normalise_email(value), ("email", "")
        except IdentifierError:
            continue
    if given:
        return "", ("email", f"E-mail as given (not valid): {', '.join(given)}")
    return "", ("email", "")


def _phone(c: Element | None, country: str) -> tuple[str, list[str], tuple[str, str]]:
    """The first callable phone becomes the contact's; every other one is noted."""
    chosen = ""
    notes: list[str] = []
    bad: list[str] = []
    for p in children(c, "phone"):
        value = text(p)
        if not value:
            continue
        kind = attr(p, "type") or "voice"
        kind = PHONE_TYPES.get(kind, kind)
        when = attr(p, "time")
        if not chosen and kind not in NOT_FOR_CALLING:
            try:
                chosen = normalise_phone(value, country)
            except IdentifierError:
                bad.append(value)
                continue
            if when in CALL_TIMES and when != "nopreference":
                notes.append(f"Best time to call: {when}")
            continue
        notes.append(f"Other phone ({kind}): {value}")
    problem = f"Phone as given (not valid for country {country}): {', '.join(bad)}" if bad else ""
    return chosen, notes, ("phone", problem)


def comments(customer: Element | None) -> str:
    return block(child(customer, "comments"))
