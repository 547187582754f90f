"""Reads of contacts with access (decision 0045): a contact is seen through its
enquiries. Pages and the API start with `contact_for_user`, which answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from leadhub.duplicates.merged import merged_away
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import visible_enquiries
from leadhub.orgs.models import User

from .models import Consent, ConsentKind, Contact, ContactChange, ContactEmail, ContactPhone


def readable_enquiries(user: User) -> QuerySet[Enquiry]:
    """The enquiries `user` sees with their personal data: their organisation's, or
    the partner's ones a brand follows. Not pending offers (the anonymised preview)."""
    org = user.organisation_id
    return visible_enquiries(user).filter(
        Q(owner_id=org) | Q(origin_brand_id=org) | Q(shared_with_id=org)
    )


def visible_contacts(user: User) -> QuerySet[Contact]:
    if not user.is_authenticated or user.organisation_id is None:
        return Contact.objects.none()
    seen = Exists(readable_enquiries(user).filter(contact=OuterRef("pk")))
    bare = Q(owner_id=user.organisation_id) & ~Exists(
        Enquiry.objects.filter(contact=OuterRef("pk"))
    )
    return Contact.objects.filter(seen | bare)


@dataclass(frozen=True)
class ContactAccess:
    contact: Contact
    may_edit: bool  # its owner's users; a brand following a partner's enquiry only reads


def contact_for_user(user: User, contact_id: int) -> ContactAccess:
    contact = visible_contacts(user).select_related("owner").filter(pk=contact_id).first()
    if contact is None:
        raise Http404("No such contact.")
    return ContactAccess(contact, may_edit=contact.owner_id == user.organisation_id)


def contact_to_edit(user: User, contact_id: int) -> Contact:
    """The contact if `user` may change it; 404 otherwise (also for read-only readers:
    they learn nothing new from the answer)."""
    seen = contact_for_user(user, contact_id)
    if not seen.may_edit:
        raise Http404("No such contact.")
    return seen.contact


def enquiries_of(user: User, contact: Contact) -> list[Enquiry]:
    return list(
        readable_enquiries(user)
        .filter(contact=contact)
        .select_related("owner")
        .order_by("-created_at", "-id")[:50]
    )


def colleagues_of(user: User, contact: Contact) -> list[Contact]:
    """Contacts of the same owner and company the user may see (not the contact itself)."""
    if not contact.company_key:
        return []
    return list(
        visible_contacts(user)
        .filter(owner_id=contact.owner_id, company_key=contact.company_key)
        .exclude(pk=contact.pk)
        .exclude(merged_away())  # kept, empty, for undo only
        .order_by("last_name", "first_name", "id")[:100]
    )


@dataclass(frozen=True)
class ConsentState:
    kind: str
    label: str
    latest: Consent | None


def consents_now(contact: Contact) -> list[ConsentState]:
    """Per kind the latest row (or None: never asked)."""
    latest: dict[str, Consent] = {}
    for c in contact.consents.select_related("actor").order_by("at", "id"):
        latest[c.kind] = c
    return [ConsentState(k.value, str(k.label), latest.get(k.value)) for k in ConsentKind]


def changes_of(contact: Contact) -> list[ContactChange]:
    return list(contact.changes.select_related("actor", "organisation").order_by("-at", "-id")[:50])


def emails_of(contact: Contact) -> list[ContactEmail]:
    """The rows; for a contact written around actions.py (bench seeds, old imports) that
    has only the column, the column as its one row."""
    rows = list(contact.emails.all())
    if not rows and contact.email:
        rows = [ContactEmail(contact=contact, email=contact.email, position=0)]
    return rows


def phones_of(contact: Contact) -> list[ContactPhone]:
    rows = list(contact.phones.all())
    if not rows and contact.phone:
        rows = [ContactPhone(contact=contact, phone=contact.phone, position=0)]
    return rows
