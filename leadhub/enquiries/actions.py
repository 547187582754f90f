"""Writes on enquiries. Each function is one transaction and records its history entry."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from leadhub.contacts.actions import create_contact
from leadhub.contacts.models import ContactKind
from leadhub.contacts.validation import ContactDetails, EmailRow, PhoneRow
from leadhub.intake.leaddata import LeadData
from leadhub.intake.models import Channel
from leadhub.routing.planner import Routed, route_many

from .history import entry
from .models import Enquiry, HistoryCategory, HistoryEntry


@transaction.atomic(savepoint=False)  # inside the intake transaction: no savepoint needed
def receive_enquiry(
    lead: LeadData, *, channel: Channel, number: str, now: datetime
) -> tuple[Enquiry, Routed]:
    """Store a validated lead as a new enquiry of the brand, routed by the brand's rules.

    Routing decides before the enquiry is inserted, so the row is written once with its
    number (numbers.allocate_number), place and due date, and both history entries go in
    one INSERT."""
    enquiry, received = _new_enquiry(lead, channel, now, number)
    (routed,) = route_many([enquiry], now=now, occasion="at intake", new=True, history=[received])
    return enquiry, routed


@transaction.atomic(savepoint=False)
def receive_unrouted(lead: LeadData, *, channel: Channel, number: str, now: datetime) -> Enquiry:
    """Store it without the brand's rules, for a channel that places it itself (event
    sign-ups go to the event's organiser)."""
    enquiry, received = _new_enquiry(lead, channel, now, number)
    enquiry.save()
    received.save()
    return enquiry


def _new_enquiry(
    lead: LeadData, channel: Channel, now: datetime, number: str
) -> tuple[Enquiry, HistoryEntry]:
    """The enquiry (not inserted yet) and its "received" entry; the contact is stored."""
    brand = channel.brand
    a = lead.contact.address
    c = lead.contact
    contact = create_contact(
        brand,
        ContactDetails(
            kind=c.kind,
            title=c.title,
            first_name=c.first_name,
            last_name=c.last_name,
            company=c.company,
            language=c.language,
            street=a.street,
            postal_code=a.postal_code,
            city=a.city,
            province=a.province,
            country=a.country,
        ),
        emails=[EmailRow(e, _label(c.kind)) for e in (c.email, *c.more_emails) if e],
        phones=[PhoneRow(p, _label(c.kind)) for p in (c.phone, *c.more_phones) if p],
        checked=True,  # the channel contract normalised it (intake.leaddata)
    )
    site = lead.site_address
    enquiry = Enquiry(
        number=number,
        created_at=now,
        updated_at=now,
        type=lead.type,
        owner=brand,
        origin_brand=brand,
        channel=channel,
        contact=contact,
        text=lead.text,
        language=lead.contact.language,
        site_street=site.street if site else "",
        site_postal_code=site.postal_code if site else "",
        site_city=site.city if site else "",
        site_province=site.province if site else "",
        site_country=site.country if site else "",
        project_name=lead.project_name,
        referrer_url=lead.referrer_url,
        utm_source=lead.utm.source,
        utm_medium=lead.utm.medium,
        utm_campaign=lead.utm.campaign,
        utm_term=lead.utm.term,
        utm_content=lead.utm.content,
        external_id=lead.external_id,
        submitted_at=lead.submitted_at,
    )
    received = entry(
        enquiry,
        category=HistoryCategory.SYSTEM,
        kind="received",
        message=f"Received through channel {channel.key}.",
        organisation=brand,
        data={"channel": channel.key, "payload": lead.raw},
    )
    return enquiry, received


def _label(kind: str) -> str:
    """A private person's address is private; a business's or prescriber's is work."""
    return "private" if kind == ContactKind.PRIVATE else "work"
