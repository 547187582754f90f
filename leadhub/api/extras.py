"""The enquiry detail's parts from the channel apps: quotes and orders (owner only, F3),
requested catalogue items, and the event of a sign-up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema

from leadhub.catalogue.queries import as_dict as item_dict
from leadhub.catalogue.queries import item_lines_for
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import Access, values_visible
from leadhub.events.queries import signup_for
from leadhub.orgs.models import User
from leadhub.quotes.queries import as_dict as quote_dict
from leadhub.quotes.queries import quotes_for


class QuoteOut(Schema):
    kind: str  # quote or order
    number: str
    amount: Decimal
    currency: str
    date: dt.date | None
    main: bool  # the one the enquiry's values mirror; the others are alternatives
    source: str
    external_id: str


class ItemLineOut(Schema):
    sku: str
    name: str
    kind: str  # sample or brochure
    language: str
    quantity: int


class EventSignupOut(Schema):
    key: str
    title: str
    starts_at: dt.datetime
    place: str
    participants: int
    participant_name: str
    waitlisted: bool


def extras(user: User, access: Access, enquiry: Enquiry) -> dict[str, object]:
    signup = signup_for(access, enquiry)
    return {
        "quotes": [quote_dict(q) for q in quotes_for(user, access, enquiry)]
        if values_visible(access)
        else None,
        "items": [item_dict(line) for line in item_lines_for(access, enquiry)],
        "event": {
            "key": signup.event.key,
            "title": signup.event.title,
            "starts_at": signup.event.starts_at,
            "place": signup.event.place,
            "participants": signup.participants,
            "participant_name": signup.participant_name,
            "waitlisted": signup.waitlisted,
        }
        if signup is not None
        else None,
    }
