"""LeadData: the one contract between intake channels and the domain.

Every channel's parse.py turns its raw payload into a LeadData (pure, no database);
`leadhub.intake.ingest` stores it. Values are already validated and normalised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Address:
    street: str = ""
    postal_code: str = ""
    city: str = ""
    province: str = ""
    country: str = ""  # ISO 3166-1 alpha-2, upper case


@dataclass(frozen=True)
class ContactData:
    title: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    email: str = ""  # normalised
    phone: str = ""  # E.164
    language: str = ""
    kind: str = "private"
    more_emails: tuple[str, ...] = ()  # normalised, after the primary `email` (D2)
    more_phones: tuple[str, ...] = ()  # E.164, after the primary `phone`
    address: Address = field(default_factory=Address)


@dataclass(frozen=True)
class Utm:
    source: str = ""
    medium: str = ""
    campaign: str = ""
    term: str = ""
    content: str = ""


@dataclass(frozen=True)
class ItemRequest:
    """A8: a catalogue item asked for (checked against the brand's catalogue at intake)."""

    sku: str
    quantity: int = 1


@dataclass(frozen=True)
class LeadData:
    type: str
    contact: ContactData
    text: str = ""
    site_address: Address | None = None
    project_name: str = ""
    referrer_url: str = ""
    utm: Utm = field(default_factory=Utm)
    external_id: str = ""
    submitted_at: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict)  # kept in the history as received
    items: tuple[ItemRequest, ...] = ()  # sample and brochure requests only


@dataclass(frozen=True)
class FieldError:
    field: str  # dotted path into the payload, e.g. "contact.email"
    message: str


class IntakeError(ValueError):
    """The payload is refused; `errors` lists every problem found, by field."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors
