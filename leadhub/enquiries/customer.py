"""Convert to customer (C11): once an enquiry is won, its owner imports the contact into
its customer base under a customer number, or closes the lead without import."""

from __future__ import annotations

import re
from datetime import datetime

from django.db import transaction

from leadhub.contacts.models import Contact
from leadhub.orgs.models import Organisation, User

from .history import record
from .models import CustomerDecision, Enquiry, HistoryCategory, Status

AUTO_NUMBER = re.compile(r"^C(\d{6,})$")


class ConversionRefused(ValueError):
    pass


def may_decide(enquiry: Enquiry) -> bool:
    """The decision is due once the order is placed, and taken once."""
    return enquiry.status == Status.ORDERED and not enquiry.customer_decision


def next_customer_number(org: Organisation) -> str:
    """C000001, C000002, ... per organisation; call with the organisation row locked."""
    taken = Contact.objects.filter(owner=org, customer_number__regex=r"^C[0-9]{6,}$")
    numbers = [
        int(m.group(1))
        for n in taken.values_list("customer_number", flat=True)
        if (m := AUTO_NUMBER.match(n))
    ]
    return f"C{max(numbers, default=0) + 1:06d}"


@transaction.atomic
def convert(
    enquiry: Enquiry, *, by: User, now: datetime, import_contact: bool, customer_number: str = ""
) -> Enquiry:
    enquiry = Enquiry.objects.select_for_update(of=("self",)).get(pk=enquiry.pk)
    if not may_decide(enquiry):
        raise ConversionRefused(
            "Only an enquiry with its order placed is converted, and only once."
        )
    if not import_contact:
        return _decide(
            enquiry,
            CustomerDecision.NOT_IMPORTED,
            by,
            now,
            "Closed without import into the customer base.",
        )
    # Numbers are given one at a time per organisation: lock its row.
    org = Organisation.objects.select_for_update().get(pk=enquiry.owner_id)
    contact = Contact.objects.select_for_update().get(pk=enquiry.contact_id)
    number = " ".join(customer_number.split())
    if contact.customer_number:
        if number and number != contact.customer_number:
            raise ConversionRefused(f"The contact is already customer {contact.customer_number}.")
        message = f"Linked to existing customer {contact.customer_number}."
    else:
        if not number:
            number = next_customer_number(org)
        elif len(number) > 32:
            raise ConversionRefused("A customer number has at most 32 characters.")
        elif Contact.objects.filter(owner=org, customer_number=number).exists():
            raise ConversionRefused(f"Customer number {number} belongs to another contact.")
        contact.customer_number, contact.customer_since = number, now
        contact.save(update_fields=["customer_number", "customer_since"])
        message = f"Imported as customer {number}."
    return _decide(enquiry, CustomerDecision.IMPORTED, by, now, message)


def _decide(
    enquiry: Enquiry, decision: CustomerDecision, by: User, now: datetime, message: str
) -> Enquiry:
    enquiry.customer_decision, enquiry.updated_at = decision, now
    enquiry.save(update_fields=["customer_decision", "updated_at"])
    # The owner's customer base is its own business: a brand following the enquiry does
    # not read the entry (as it never sees amounts).
    record(
        enquiry,
        category=HistoryCategory.ACTION,
        kind=f"customer_{decision}",
        message=message,
        actor=by,
        private_to=enquiry.owner,
    )
    return enquiry
