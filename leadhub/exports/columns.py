"""The export's columns and one enquiry's row (decision 0042). Pure: the caller passes the
enquiry with its related rows already read (exports/source.py, per batch), how the user may
see it, and the organisation's time zone.

Personal data only where the list shows it: an offer not yet accepted (Access.PREVIEW) has
the anonymised preview's cells (type, area, dates), as on screen. Quote and order numbers
and amounts only where `values_visible` (the owner's): never a partner's to the brand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leadhub.enquiries.listing import responsible_of
from leadhub.enquiries.models import Enquiry, EnquiryType, Place, Status
from leadhub.enquiries.preview import preview_of
from leadhub.enquiries.queries import Access, values_visible

Cell = str | int | Decimal | datetime | None

TEXT, NUMBER, WHEN, AMOUNT = "text", "number", "when", "amount"


@dataclass(frozen=True)
class Column:
    key: str
    header: str | Promise
    kind: str  # TEXT, NUMBER, WHEN (a local date-time) or AMOUNT
    width: int  # characters, for xlsx


COLUMNS: tuple[Column, ...] = (
    Column("position", gettext_lazy("Position"), NUMBER, 8),
    Column("number", gettext_lazy("Number"), TEXT, 16),
    Column("created", gettext_lazy("Received"), WHEN, 17),
    Column("type", gettext_lazy("Type"), TEXT, 14),
    Column("channel", gettext_lazy("Channel"), TEXT, 14),
    Column("status", gettext_lazy("Status"), TEXT, 18),
    Column("due", gettext_lazy("Due"), WHEN, 17),
    Column("title", gettext_lazy("Title"), TEXT, 8),
    Column("first_name", gettext_lazy("First name"), TEXT, 16),
    Column("last_name", gettext_lazy("Last name"), TEXT, 18),
    Column("company", gettext_lazy("Company"), TEXT, 24),
    Column("emails", gettext_lazy("E-mails"), TEXT, 30),
    Column("phones", gettext_lazy("Phones"), TEXT, 18),
    Column("address", gettext_lazy("Contact address"), TEXT, 36),
    Column("site", gettext_lazy("Site address"), TEXT, 36),
    Column("responsible", gettext_lazy("Responsible"), TEXT, 22),
    Column("tags", gettext_lazy("Tags"), TEXT, 18),
    Column("appointment", gettext_lazy("Appointment"), WHEN, 17),
    Column("appointment_place", gettext_lazy("Appointment place"), TEXT, 24),
    Column("close_reason", gettext_lazy("Cancellation reason"), TEXT, 26),
    Column("quote_number", gettext_lazy("Quote number"), TEXT, 14),
    Column("quote_amount", gettext_lazy("Quote amount"), AMOUNT, 13),
    Column("order_number", gettext_lazy("Order number"), TEXT, 14),
    Column("order_amount", gettext_lazy("Order amount"), AMOUNT, 13),
)


def headers() -> list[str]:
    """The column headers in the active language."""
    return [str(c.header) for c in COLUMNS]


@dataclass(frozen=True)
class Related:
    """What a row needs beyond the enquiry's own columns, read per batch."""

    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    tags: Sequence[str] = ()


class Labels:
    """Choice labels translated once per export, not once per row."""

    def __init__(self) -> None:
        self.types = {v: str(label) for v, label in EnquiryType.choices}
        self.statuses = {v: str(label) for v, label in Status.choices}
        self.places = {v: str(label) for v, label in Place.choices}
        self.queue = _("Dispatcher queue")


@dataclass
class RowMaker:
    """Builds rows for one user's export: their organisation and its time zone."""

    org_id: int | None
    tz: tzinfo
    labels: Labels = field(default_factory=Labels)

    def local(self, value: datetime | None) -> datetime | None:
        """Wall-clock time in the organisation's zone, without the zone (what xlsx
        stores; the zone is the organisation's, docs/exports.md)."""
        return value.astimezone(self.tz).replace(tzinfo=None) if value else None

    def row(self, e: Enquiry, position: int, access: Access, related: Related) -> list[Cell]:
        lb = self.labels
        head: list[Cell] = [
            position,
            e.number,
            self.local(e.created_at),
            lb.types.get(e.type, e.type),
            e.channel.key if e.channel else "",
            lb.statuses.get(e.status, e.status),
            self.local(e.due_at),
        ]
        if access is Access.PREVIEW:
            return [*head, *self._preview(e)]
        c = e.contact
        values = values_visible(access)
        return [
            *head,
            c.title,
            c.first_name,
            c.last_name,
            c.company,
            ", ".join(related.emails),
            ", ".join(related.phones),
            c.address_line(),
            site_address(e),
            responsible_of(e, self.org_id) or lb.queue,
            ", ".join(related.tags),
            self.local(e.appointment_at),
            self._place(e),
            e.close_reason,
            e.quote_number if values else "",
            e.quote_amount if values else None,
            e.order_number if values else "",
            e.order_amount if values else None,
        ]

    def _preview(self, e: Enquiry) -> list[Cell]:
        """B4: as the list's offer line: no contact, the area (first two characters of
        the postal code) and the city, and who the offer is to (the user's organisation)."""
        p = preview_of(e)
        area = " ".join(x for x in (f"{p.postal_area}…" if p.postal_area else "", p.city) if x)
        where = ", ".join(x for x in (area, p.country) if x)
        # title, first and last name, company, e-mails, phones, contact address: none
        return [
            *[""] * 7,
            where,
            responsible_of(e, self.org_id),
            "",
            None,
            "",
            "",
            "",
            None,
            "",
            None,
        ]

    def _place(self, e: Enquiry) -> str:
        if not e.appointment_place:
            return ""
        label = self.labels.places.get(e.appointment_place, e.appointment_place)
        if e.appointment_unit_id and e.appointment_unit is not None:
            return f"{label}: {e.appointment_unit.name}"
        return label


def site_address(e: Enquiry) -> str:
    """The site's address (C8), on one line; empty when the site is the contact's address."""
    place = " ".join(p for p in (e.site_postal_code, e.site_city) if p)
    if e.site_province:
        place = f"{place} ({e.site_province})"
    return ", ".join(p for p in (e.site_street, place, e.site_country) if p)
