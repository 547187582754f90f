"""Writes on enquiries. Each function is one transaction and records its history entry."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from leadhub.contacts.models import Contact
from leadhub.intake.leaddata import LeadData
from leadhub.intake.models import Channel

from .history import record
from .models import Enquiry, HistoryCategory
from .numbers import provisional_number


@transaction.atomic(savepoint=False)  # inside the intake transaction: no savepoint needed
def receive_enquiry(lead: LeadData, *, channel: Channel) -> Enquiry:
    """Store a validated lead as a new enquiry of the brand. Routing places it and sets its
    due date next; the caller gives it its number last (numbers.give_number)."""
    brand = channel.brand
    now = timezone.now()
    a = lead.contact.address
    contact = Contact.objects.create(
        owner=brand,
        kind=lead.contact.kind,
        title=lead.contact.title,
        first_name=lead.contact.first_name,
        last_name=lead.contact.last_name,
        company=lead.contact.company,
        email=lead.contact.email,
        phone=lead.contact.phone,
        language=lead.contact.language,
        street=a.street,
        postal_code=a.postal_code,
        city=a.city,
        province=a.province,
        country=a.country,
    )
    site = lead.site_address
    enquiry = Enquiry.objects.create(
        number=provisional_number(),  # the real one comes last: see intake.ingest
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
    record(
        enquiry,
        category=HistoryCategory.SYSTEM,
        kind="received",
        message=f"Received through channel {channel.key}.",
        organisation=brand,
        data={"channel": channel.key, "payload": lead.raw},
    )
    return enquiry
