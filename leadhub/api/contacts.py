"""Contacts (D2, D3): read one, change it, add a colleague. Access as on the pages
(decision 0045): 404 for whoever may not see it, and for writes by read-only readers."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from leadhub.contacts.actions import add_colleague, save_contact
from leadhub.contacts.models import Contact
from leadhub.contacts.queries import (
    colleagues_of,
    consents_now,
    contact_for_user,
    contact_to_edit,
    emails_of,
    phones_of,
)
from leadhub.contacts.validation import ContactDetails, ContactInvalid, EmailRow, PhoneRow

from .auth import current_user, user_auth
from .schemas import ErrorOut, FieldErrorOut, ValidationErrorOut

router = Router(tags=["contacts"], auth=user_auth)


class EmailIO(Schema):
    email: str
    label: str = "work"


class PhoneIO(Schema):
    phone: str
    label: str = "work"


class ConsentOut(Schema):
    kind: str
    given: bool | None  # None: never asked
    at: datetime | None
    source: str


class ColleagueOut(Schema):
    id: int
    name: str
    email: str


class ContactOut(Schema):
    id: int
    owner: str
    may_edit: bool
    kind: str
    title: str
    first_name: str
    last_name: str
    company: str
    vat_number: str
    national_id: str
    language: str
    street: str
    postal_code: str
    city: str
    province: str
    country: str
    customer_number: str
    email: str  # the primary one ("" while not known)
    phone: str
    emails: list[EmailIO]
    phones: list[PhoneIO]
    consents: list[ConsentOut]
    colleagues: list[ColleagueOut]


class ContactPatch(Schema):
    """Only the fields sent change; `emails` / `phones` replace the lists, first = primary."""

    kind: str | None = None
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    vat_number: str | None = None
    national_id: str | None = None
    language: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    province: str | None = None
    country: str | None = None
    emails: list[EmailIO] | None = None
    phones: list[PhoneIO] | None = None


class ColleagueIn(Schema):
    kind: str = "business"
    title: str = ""
    first_name: str = ""
    last_name: str = ""
    national_id: str = ""
    language: str = ""
    emails: list[EmailIO] = []
    phones: list[PhoneIO] = []


def _out(request: HttpRequest, contact: Contact, may_edit: bool) -> dict[str, object]:
    user = current_user(request)
    return {
        **{f: getattr(contact, f) for f in ContactOut.model_fields if hasattr(contact, f)},
        "owner": contact.owner.key,
        "may_edit": may_edit,
        "emails": [{"email": e.email, "label": e.label} for e in emails_of(contact)],
        "phones": [{"phone": p.phone, "label": p.label} for p in phones_of(contact)],
        "consents": [
            {
                "kind": c.kind,
                "given": c.latest.given if c.latest else None,
                "at": c.latest.at if c.latest else None,
                "source": c.latest.source if c.latest else "",
            }
            for c in consents_now(contact)
        ],
        "colleagues": [
            {"id": c.pk, "name": c.full_name() or c.company, "email": c.email}
            for c in colleagues_of(user, contact)
        ],
    }


def _refused(exc: ContactInvalid) -> object:
    errors = [FieldErrorOut(field=k, message=v) for k, v in exc.problems.items()]
    return Status(422, {"detail": "The contact was not saved.", "errors": errors})


@router.get("/{int:contact_id}", response={200: ContactOut, 404: ErrorOut}, summary="A contact")
def get_contact(request: HttpRequest, contact_id: int) -> object:
    seen = contact_for_user(current_user(request), contact_id)
    return _out(request, seen.contact, seen.may_edit)


@router.patch(
    "/{int:contact_id}",
    response={200: ContactOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Change a contact",
)
def patch_contact(request: HttpRequest, contact_id: int, body: ContactPatch) -> object:
    """422 lists every problem by field (`vat_number`, `emails.1`, ...); nothing changes."""
    user = current_user(request)
    contact = contact_to_edit(user, contact_id)
    sent = body.dict(exclude_unset=True)
    stored = ContactDetails(**{f: getattr(contact, f) for f in asdict(ContactDetails())})
    details = replace(stored, **{k: v or "" for k, v in sent.items() if k in asdict(stored)})
    try:
        contact = save_contact(
            contact,
            details,
            emails=[EmailRow(e.email, e.label) for e in body.emails]
            if "emails" in sent and body.emails is not None
            else None,
            phones=[PhoneRow(p.phone, p.label) for p in body.phones]
            if "phones" in sent and body.phones is not None
            else None,
            by=user,
        )
    except ContactInvalid as exc:
        return _refused(exc)
    return _out(request, Contact.objects.select_related("owner").get(pk=contact.pk), True)


@router.post(
    "/{int:contact_id}/colleagues",
    response={201: ContactOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Add a colleague (same company, address and owner)",
)
def post_colleague(request: HttpRequest, contact_id: int, body: ColleagueIn) -> object:
    user = current_user(request)
    contact = contact_to_edit(user, contact_id)
    details = ContactDetails(
        kind=body.kind,
        title=body.title,
        first_name=body.first_name,
        last_name=body.last_name,
        national_id=body.national_id,
        language=body.language,
    )
    try:
        colleague = add_colleague(
            contact,
            details,
            emails=[EmailRow(e.email, e.label) for e in body.emails],
            phones=[PhoneRow(p.phone, p.label) for p in body.phones],
            by=user,
        )
    except ContactInvalid as exc:
        return _refused(exc)
    return Status(201, _out(request, colleague, True))
