"""The anonymised preview of an offered enquiry (B4): what a partner sees before accepting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from leadhub.privacy.redact import redact

from .models import Enquiry


@dataclass(frozen=True)
class Preview:
    number: str
    type: str
    type_label: str
    channel: str
    created_at: datetime
    postal_area: str  # the first two characters: the area, not the street
    city: str
    country: str
    project_name: str
    text: str


def preview_of(enquiry: Enquiry, *, texts: bool = True) -> Preview:
    """`texts=False` leaves the free texts out (empty): the list shows none of them, and
    redacting them is most of the work (≈ 0.25 ms an offer, a partner may have hundreds)."""
    c = enquiry.contact
    postal_code, city, country = enquiry.site_or_contact_place()
    known = [c.first_name, c.last_name, c.company, c.street, c.email, enquiry.site_street]
    return Preview(
        number=enquiry.number,
        type=enquiry.type,
        type_label=str(enquiry.get_type_display()),
        channel=enquiry.channel.key if enquiry.channel else "",
        created_at=enquiry.created_at,
        postal_area=postal_code[:2],
        city=city,
        country=country,
        project_name=redact(enquiry.project_name, known=known, region=country or None)
        if texts
        else "",
        text=redact(enquiry.text, known=known, region=country or None) if texts else "",
    )
