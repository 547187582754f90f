"""Manual entry (A6) and a partner sharing what it entered with a brand (B10).

A user enters an enquiry for a new contact or one of the organisation's existing
contacts. The brand's entries are routed by its rules (or kept by whoever entered them);
a partner's stay with the partner, assigned to who entered them. A repeated submission
(the same entry key) returns the enquiry the first one made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction

from leadhub.contacts.actions import create_contact
from leadhub.contacts.identifiers import IdentifierError, normalise_email, normalise_phone
from leadhub.contacts.models import Contact, ContactKind
from leadhub.contacts.validation import ContactDetails, EmailRow, PhoneRow
from leadhub.duplicates.merged import merged_away
from leadhub.duplicates.models import Occasion
from leadhub.duplicates.pending import queue_check
from leadhub.orgs.models import Organisation, OrgKind, User
from leadhub.routing.planner import due, route_many
from leadhub.search import index as search_index

from .history import record
from .models import Enquiry, EnquiryType, HistoryCategory, Status
from .numbers import allocate_number

SHAREABLE = (ContactKind.BUSINESS, ContactKind.PRESCRIBER)


class EntryRefused(ValueError):
    """What is wrong, by field ("" for the entry as a whole)."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class NewContact:
    kind: str = ContactKind.PRIVATE
    title: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    email: str = ""  # optional (A6): kept empty, shown as unknown, until it is known
    phone: str = ""
    language: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    province: str = ""
    country: str = ""


@dataclass(frozen=True)
class ManualEntry:
    type: str
    text: str = ""
    project_name: str = ""
    contact: NewContact | None = None
    contact_id: int | None = None  # an existing contact of the organisation instead
    route: bool = True  # the brand's rules decide; otherwise it stays with who entered it
    share_with: str = ""  # B10: a brand's key (partners, business or prescriber contacts)
    entry_key: str = ""
    problems: dict[str, str] = field(default_factory=dict)


def checked_contact(c: NewContact) -> NewContact:
    """Normalised e-mail and phone (per the contact's country); refused with every problem."""
    problems: dict[str, str] = {}
    country = c.country.strip().upper()
    email = phone = ""
    if c.email.strip():
        try:
            email = normalise_email(c.email)
        except IdentifierError as exc:
            problems["email"] = str(exc)
    if c.phone.strip():
        try:
            phone = normalise_phone(c.phone, country)
        except IdentifierError as exc:
            problems["phone"] = str(exc)
    if not (c.last_name.strip() or c.company.strip()):
        problems["last_name"] = "a last name or a company is required"
    if len(country) not in (0, 2) or (country and not country.isalpha()):
        problems["country"] = "a two-letter country code, e.g. IT"
    if c.kind not in ContactKind.values:
        problems["kind"] = f"one of {', '.join(ContactKind.values)}"
    if problems:
        raise EntryRefused(problems)
    strip = {k: " ".join(str(v).split()) for k, v in c.__dict__.items()}
    return NewContact(
        **strip
        | {
            "email": email,
            "phone": phone,
            "country": country,
            "province": strip["province"].upper(),
            "language": strip["language"].lower(),
        }
    )


def enter(entry: ManualEntry, *, by: User, now: datetime) -> tuple[Enquiry, bool]:
    """The new enquiry and True; or, for an entry key seen before, that enquiry and False."""
    org = by.organisation
    if org is None:
        raise EntryRefused({"": "Only users of an organisation enter enquiries."})
    if entry.entry_key:
        earlier = Enquiry.objects.filter(owner=org, entry_key=entry.entry_key).first()
        if earlier is not None:
            return earlier, False
    try:
        with transaction.atomic():
            return _enter(entry, org, by, now), True
    except IntegrityError:
        earlier = Enquiry.objects.filter(owner=org, entry_key=entry.entry_key).first()
        if not entry.entry_key or earlier is None:
            raise
        return earlier, False  # the same form sent twice at once


def _enter(entry: ManualEntry, org: Organisation, by: User, now: datetime) -> Enquiry:
    if entry.type not in EnquiryType.values:
        raise EntryRefused({"type": f"one of {', '.join(EnquiryType.values)}"})
    contact = _contact(entry, org)
    is_brand = org.kind == OrgKind.BRAND
    enquiry = Enquiry.objects.create(
        number=allocate_number(now),  # inside the transaction: a rollback gives it back
        created_at=now,
        updated_at=now,
        type=entry.type,
        owner=org,
        origin_brand=org if is_brand else None,
        contact=contact,
        text=entry.text.strip(),
        language=contact.language,
        project_name=" ".join(entry.project_name.split()),
        entry_key=entry.entry_key,
        status=Status.NEW,
        due_at=due(org, now),
        assigned_user=by,
        assigned_unit=by.unit,
    )
    record(
        enquiry,
        category=HistoryCategory.SYSTEM,
        kind="entered",
        message=f"Entered by hand by {by.display_name()}.",
        actor=by,
    )
    if is_brand and entry.route:
        route_many([enquiry], now=now, occasion="entered by hand", actor=by)
    if entry.share_with:
        share(enquiry, entry.share_with, by=by, now=now)
    search_index.refresh([enquiry.pk])  # complete now: it enters the search (decision 0049)
    # D1 (decision 0048): a new contact may be one we know; an existing one may still be
    # the same person as another contact, whose open enquiry this one then duplicates.
    queue_check(enquiry, organisation=org, occasion=Occasion.INTAKE)
    return enquiry


def _contact(entry: ManualEntry, org: Organisation) -> Contact:
    if entry.contact_id is not None:
        existing = (
            Contact.objects.filter(owner=org, pk=entry.contact_id)
            .annotate(merged=merged_away())
            .first()
        )
        if existing is None:
            raise EntryRefused({"contact": "not a contact of your organisation"})
        if existing.merged:  # kept empty for undo: the enquiry belongs to the kept one
            raise EntryRefused({"contact": "merged into another contact: choose that one"})
        return existing
    if entry.contact is None:
        raise EntryRefused({"contact": "choose an existing contact or enter a new one"})
    c = checked_contact(entry.contact).__dict__
    email, phone = c.pop("email"), c.pop("phone")
    label = "private" if c["kind"] == ContactKind.PRIVATE else "work"
    return create_contact(
        org,
        ContactDetails(**c),
        emails=[EmailRow(email, label)] if email else (),
        phones=[PhoneRow(phone, label)] if phone else (),
        checked=True,  # checked_contact: A6 keeps its own rules for provinces
    )


@transaction.atomic
def share(enquiry: Enquiry, brand_key: str, *, by: User, now: datetime) -> Enquiry:
    """B10: the brand reads the enquiry (never amounts); only for what the partner entered
    itself, and only for business or prescriber contacts, never private persons."""
    partner = enquiry.owner
    if partner.kind != OrgKind.PARTNER or enquiry.origin_brand_id is not None:
        raise EntryRefused({"share_with": "only a partner shares enquiries it entered itself"})
    if enquiry.contact.kind not in SHAREABLE:
        raise EntryRefused(
            {"share_with": "only enquiries of business or prescriber contacts are shared"}
        )
    brand = partner.brands.filter(key=brand_key).first()
    if brand is None:
        raise EntryRefused({"share_with": f"{brand_key!r} is not one of your brands"})
    enquiry.shared_with, enquiry.updated_at = brand, now
    enquiry.save(update_fields=["shared_with", "updated_at"])
    search_index.refresh([enquiry.pk])  # the brand now finds it
    record(
        enquiry,
        category=HistoryCategory.SYSTEM,
        kind="shared",
        message=f"Shared with {brand.name} by {by.display_name()}.",
        actor=by,
    )
    return enquiry


@transaction.atomic
def stop_sharing(enquiry: Enquiry, *, by: User, now: datetime) -> Enquiry:
    if enquiry.shared_with is None:
        return enquiry
    brand = enquiry.shared_with
    enquiry.shared_with, enquiry.updated_at = None, now
    enquiry.save(update_fields=["shared_with", "updated_at"])
    search_index.refresh([enquiry.pk])
    record(
        enquiry,
        category=HistoryCategory.SYSTEM,
        kind="unshared",
        message=f"No longer shared with {brand.name} ({by.display_name()}).",
        actor=by,
    )
    return enquiry


def last_entry_defaults(user: User) -> dict[str, str]:
    """A6: country and language (and so the phone prefix) of the user's last entry."""
    last = (
        Enquiry.objects.filter(history__kind="entered", history__actor=user)
        .select_related("contact")
        .order_by("-created_at")
        .first()
    )
    if last is None:
        org = user.organisation
        return {"country": org.country if org else "", "language": user.language}
    return {"country": last.contact.country, "language": last.contact.language}
