"""Generic JSON webhook payload -> LeadData (pure: no database, no HTTP)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from leadhub.contacts.identifiers import IdentifierError, normalise_email, normalise_phone
from leadhub.intake.leaddata import (
    Address,
    ContactData,
    FieldError,
    IntakeError,
    ItemRequest,
    LeadData,
    Utm,
)

from .schema import AddressIn, ContactIn, EnquiryIn


def parse(body: bytes, *, default_country: str) -> LeadData:
    """Validate the whole payload and report every problem at once."""
    try:
        raw = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IntakeError([FieldError("body", f"not valid JSON: {exc}")]) from exc
    if not isinstance(raw, dict):
        raise IntakeError([FieldError("body", "must be a JSON object")])
    return parse_payload(raw, default_country=default_country)


def parse_payload(raw: dict[str, Any], *, default_country: str) -> LeadData:
    """The decoded payload; channels that add fields to this one call it too."""
    try:
        payload = EnquiryIn.model_validate(raw)
    except ValidationError as exc:
        errors = [_field_error(err) for err in exc.errors()]
        # Check the contact too, so that one answer lists every problem.
        try:
            contact = ContactIn.model_validate(raw.get("contact"))
        except ValidationError:
            pass
        else:
            errors += _contact_problems(contact, default_country)[1]
        raise IntakeError(errors) from exc
    return _to_lead(payload, raw, default_country)


def _field_error(err: Any) -> FieldError:
    path = ".".join(str(part) for part in err["loc"]) or "body"
    return FieldError(path, err["msg"])


def _contact_problems(c: ContactIn, default_country: str) -> tuple[ContactData, list[FieldError]]:
    errors: list[FieldError] = []
    country = (c.address.country or default_country).upper()
    email = phone = ""
    if c.email:
        try:
            email = normalise_email(c.email)
        except IdentifierError as exc:
            errors.append(FieldError("contact.email", str(exc)))
    if c.phone:
        try:
            phone = normalise_phone(c.phone, country)
        except IdentifierError as exc:
            errors.append(FieldError("contact.phone", str(exc)))
    more_emails = _more(c.emails, normalise_email, "contact.emails", errors)
    more_phones = _more(
        c.phones, lambda raw: normalise_phone(raw, country), "contact.phones", errors
    )
    if not email and more_emails:
        email, more_emails = more_emails[0], more_emails[1:]
    if not phone and more_phones:
        phone, more_phones = more_phones[0], more_phones[1:]
    if not (c.email or c.phone or c.emails or c.phones):
        errors.append(FieldError("contact", "an e-mail address or a phone number is required"))
    if not (c.last_name or c.company):
        errors.append(FieldError("contact", "a last name or a company is required"))
    contact = ContactData(
        title=c.title,
        first_name=c.first_name,
        last_name=c.last_name,
        company=c.company,
        email=email,
        phone=phone,
        language=c.language.lower(),
        kind=c.kind or ("business" if c.company else "private"),
        address=_address(c.address, country),
        more_emails=tuple(e for e in dict.fromkeys(more_emails) if e != email),
        more_phones=tuple(p for p in dict.fromkeys(more_phones) if p != phone),
    )
    return contact, errors


def _more(
    raws: list[str], normalise: Callable[[str], str], path: str, errors: list[FieldError]
) -> list[str]:
    out: list[str] = []
    for i, raw in enumerate(raws):
        if not raw.strip():
            continue
        try:
            out.append(normalise(raw))
        except IdentifierError as exc:
            errors.append(FieldError(f"{path}.{i}", str(exc)))
    return out


def _to_lead(p: EnquiryIn, raw: dict[str, Any], default_country: str) -> LeadData:
    contact, errors = _contact_problems(p.contact, default_country)
    errors += _item_problems(p)
    if errors:
        raise IntakeError(errors)
    country = contact.address.country
    return LeadData(
        type=p.type,
        contact=contact,
        text=p.text,
        site_address=_address(p.site_address, country) if p.site_address else None,
        project_name=p.project_name,
        referrer_url=p.referrer_url,
        utm=Utm(**p.utm.model_dump()),
        external_id=p.external_id,
        submitted_at=p.submitted_at,
        raw=raw,
        items=tuple(ItemRequest(i.sku, i.quantity) for i in p.items),
    )


ITEM_TYPES = ("sample", "brochure")


def _item_problems(p: EnquiryIn) -> list[FieldError]:
    """A8: items go with sample and brochure requests, each SKU once. Whether the brand's
    catalogue has them is checked at intake (catalogue.lines), which needs the database."""
    if p.items and p.type not in ITEM_TYPES:
        return [FieldError("items", "only sample and brochure enquiries carry items")]
    seen: set[str] = set()
    errors = []
    for n, item in enumerate(p.items):
        if item.sku in seen:
            errors.append(FieldError(f"items[{n}].sku", f"{item.sku!r} is listed twice"))
        seen.add(item.sku)
    return errors


def _address(a: AddressIn, default_country: str) -> Address:
    return Address(
        street=a.street,
        postal_code=a.postal_code,
        city=a.city,
        province=a.province.upper(),
        country=(a.country or default_country).upper(),
    )
