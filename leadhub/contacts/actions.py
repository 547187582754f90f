"""Writes on contacts (D2, D3). Each function is one transaction: the contact row is
locked, the change is logged (ContactChange, decision 0044) and the search documents of
the contact's enquiries are rewritten in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from leadhub.duplicates import index as duplicate_keys
from leadhub.lib.inserts import insert
from leadhub.orgs.models import Organisation, User
from leadhub.search import index as search_index

from .company import company_key
from .models import Consent, ConsentKind, Contact, ContactChange, ContactEmail, ContactPhone
from .validation import (
    ContactDetails,
    ContactInvalid,
    EmailRow,
    PhoneRow,
    check_details,
    check_emails,
    check_phones,
)

DETAIL_FIELDS = tuple(f.name for f in fields(ContactDetails))


def create_contact(
    owner: Organisation,
    details: ContactDetails,
    *,
    emails: Sequence[EmailRow] = (),
    phones: Sequence[PhoneRow] = (),
    by: User | None = None,
    checked: bool = False,
    log: str = "",
) -> Contact:
    """A new contact with its e-mail and phone rows (one INSERT each, bulk). Intake passes
    `checked=True` (its channel contract normalised everything) and no `log`: the enquiry's
    "received" entry records it, and intake stays at few statements."""
    if not checked:  # before the transaction: a refusal must not break the caller's
        details, emails, phones = _checked(details, emails, phones)
    return _insert_contact(owner, details, emails, phones, by, log)


@transaction.atomic(savepoint=False)  # inside intake's transaction: no savepoint statement
def _insert_contact(
    owner: Organisation,
    details: ContactDetails,
    emails: Sequence[EmailRow],
    phones: Sequence[PhoneRow],
    by: User | None,
    log: str,
) -> Contact:
    contact = Contact(owner=owner, **asdict(details))
    contact.company_key = company_key(details.company)
    contact.email = emails[0].email if emails else ""
    contact.phone = phones[0].phone if phones else ""
    insert([contact])
    _insert_rows(contact, emails, phones)
    if log:
        _log(contact, by, "created", log, ["*"])
    return contact


@transaction.atomic
def save_contact(
    contact: Contact,
    details: ContactDetails,
    *,
    by: User,
    emails: Sequence[EmailRow] | None = None,
    phones: Sequence[PhoneRow] | None = None,
) -> Contact:
    """Edit: details, and the e-mail and phone rows when given (None keeps them). Raises
    ContactInvalid with every problem; nothing is written then."""
    details, checked_emails, checked_phones = _checked(details, emails or (), phones or ())
    contact = _locked(contact)
    changed = [f for f in DETAIL_FIELDS if getattr(contact, f) != getattr(details, f)]
    for name in changed:
        setattr(contact, name, getattr(details, name))
    contact.company_key = company_key(contact.company)
    if emails is not None and _rows_differ(contact.emails.all(), checked_emails, "email"):
        changed.append("emails")
        _replace_emails(contact, checked_emails)
    if phones is not None and _rows_differ(contact.phones.all(), checked_phones, "phone"):
        changed.append("phones")
        _replace_phones(contact, checked_phones)
    if not changed:
        return contact  # a retried or empty edit writes nothing
    contact.save()
    _log(contact, by, "edited", "Contact edited.", changed)
    _refresh_search(contact)
    return contact


@transaction.atomic
def set_emails(contact: Contact, rows: Sequence[EmailRow], *, by: User) -> Contact:
    """Replace the e-mail rows in this order; the first is the primary one."""
    problems: dict[str, str] = {}
    checked = check_emails(rows, problems)
    if problems:
        raise ContactInvalid(problems)
    contact = _locked(contact)
    if not _rows_differ(contact.emails.all(), checked, "email"):
        return contact
    _replace_emails(contact, checked)
    contact.save(update_fields=["email"])
    _log(contact, by, "emails", "E-mail addresses changed.", ["emails"])
    _refresh_search(contact)
    return contact


@transaction.atomic
def set_phones(contact: Contact, rows: Sequence[PhoneRow], *, by: User) -> Contact:
    """Replace the phone rows in this order (national numbers read for the contact's
    country); the first is the primary one."""
    problems: dict[str, str] = {}
    contact = _locked(contact)
    checked = check_phones(rows, contact.country, problems)
    if problems:
        raise ContactInvalid(problems)
    if not _rows_differ(contact.phones.all(), checked, "phone"):
        return contact
    _replace_phones(contact, checked)
    contact.save(update_fields=["phone"])
    _log(contact, by, "phones", "Phone numbers changed.", ["phones"])
    _refresh_search(contact)
    return contact


@transaction.atomic
def add_colleague(
    contact: Contact,
    details: ContactDetails,
    *,
    by: User,
    emails: Sequence[EmailRow] = (),
    phones: Sequence[PhoneRow] = (),
) -> Contact:
    """A new contact of the same owner at the same company and address: the company,
    VAT number and address come from `contact`; names, title and ways to reach them from
    `details`, `emails` and `phones`."""
    base = _locked(contact)
    merged = ContactDetails(
        kind=details.kind,
        title=details.title,
        first_name=details.first_name,
        last_name=details.last_name,
        national_id=details.national_id,
        language=details.language or base.language,
        company=base.company,
        vat_number=base.vat_number,
        street=base.street,
        postal_code=base.postal_code,
        city=base.city,
        province=base.province,
        country=base.country,
    )
    return create_contact(
        base.owner,
        merged,
        emails=emails,
        phones=phones,
        by=by,
        log=f"Added as a colleague of contact {base.pk}.",
    )


@transaction.atomic
def set_consent(
    contact: Contact,
    kind: str,
    *,
    given: bool,
    source: str,
    by: User | None,
    at: datetime | None = None,
) -> Consent | None:
    """Record a consent given or withdrawn. Unchanged (also a retry) adds nothing and
    answers None."""
    problems: dict[str, str] = {}
    if kind not in ConsentKind.values:
        problems["kind"] = f"one of {', '.join(ConsentKind.values)}"
    source = " ".join(source.split())
    if not source or len(source) > 200:
        problems["source"] = "say where it was given (at most 200 characters)"
    if problems:
        raise ContactInvalid(problems)
    contact = _locked(contact)
    latest = contact.consents.filter(kind=kind).order_by("-at", "-id").first()
    if latest is not None and latest.given == given:
        return None
    consent = Consent.objects.create(
        contact=contact, kind=kind, given=given, at=at or timezone.now(), source=source, actor=by
    )
    label = ConsentKind(kind).label
    _log(contact, by, "consent", f"{label}: {'given' if given else 'withdrawn'}.", [kind])
    return consent


def _checked(
    details: ContactDetails, emails: Sequence[EmailRow], phones: Sequence[PhoneRow]
) -> tuple[ContactDetails, list[EmailRow], list[PhoneRow]]:
    problems: dict[str, str] = {}
    details = check_details(details, problems)
    checked_emails = check_emails(emails, problems)
    checked_phones = check_phones(phones, details.country, problems)
    if problems:
        raise ContactInvalid(problems)
    return details, checked_emails, checked_phones


def _locked(contact: Contact) -> Contact:
    return Contact.objects.select_for_update().get(pk=contact.pk)


def _rows_differ(
    stored: object, wanted: Sequence[EmailRow] | Sequence[PhoneRow], attr: str
) -> bool:
    have = [(getattr(r, attr), r.label) for r in stored]  # type: ignore[attr-defined]
    return have != [(getattr(r, attr), r.label) for r in wanted]


def _insert_rows(contact: Contact, emails: Sequence[EmailRow], phones: Sequence[PhoneRow]) -> None:
    insert(
        [
            ContactEmail(contact=contact, email=r.email, label=r.label, position=i)
            for i, r in enumerate(emails)
        ]
    )
    insert(
        [
            ContactPhone(contact=contact, phone=r.phone, label=r.label, position=i)
            for i, r in enumerate(phones)
        ]
    )


def _replace_emails(contact: Contact, rows: Sequence[EmailRow]) -> None:
    """New rows, and the primary mirrored into Contact.email (the caller saves it)."""
    contact.emails.all().delete()
    _insert_rows(contact, rows, ())
    contact.email = rows[0].email if rows else ""


def _replace_phones(contact: Contact, rows: Sequence[PhoneRow]) -> None:
    contact.phones.all().delete()
    _insert_rows(contact, (), rows)
    contact.phone = rows[0].phone if rows else ""


def _log(contact: Contact, by: User | None, kind: str, message: str, changed: list[str]) -> None:
    ContactChange.objects.create(
        contact=contact,
        at=timezone.now(),
        actor=by,
        organisation=by.organisation if by else contact.owner,
        kind=kind,
        message=message,
        fields=changed,
    )


def _refresh_search(contact: Contact) -> None:
    search_index.refresh(contact.enquiries.values_list("pk", flat=True))
    duplicate_keys.refresh([contact.pk])  # D1: the check finds it by what it is now
