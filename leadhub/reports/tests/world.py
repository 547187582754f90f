"""A small hand-built world for report numbers: November 2026 in Rome, with enquiries of the
brand (own and accepted by a partner), a partner's own, another brand's, and neighbours in
October and December (the last one near midnight: time zones matter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from leadhub.catalogue.models import CatalogueItem, EnquiryItem
from leadhub.contacts.models import Contact
from leadhub.enquiries.models import Enquiry, Tag
from leadhub.orgs.models import Organisation, OrgUnit
from leadhub.routing.models import Offer
from leadhub.testing.world import World, build_world

ROME = ZoneInfo("Europe/Rome")


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ROME)


@dataclass
class ReportWorld:
    world: World
    e: dict[str, Enquiry]


def make(
    owner: Organisation, origin: Organisation | None, type_: str, created: datetime, **kw: Any
) -> Enquiry:
    country = kw.pop("contact_country", "IT")
    contact = Contact.objects.create(owner=owner, last_name="Rossi", country=country)
    number = f"T{Enquiry.objects.count() + 1:05d}"
    return Enquiry.objects.create(
        number=number,
        type=type_,
        owner=owner,
        origin_brand=origin,
        contact=contact,
        created_at=created,
        updated_at=created,
        **kw,
    )


def offer(
    e: Enquiry,
    brand: Organisation,
    partner: Organisation,
    status: str,
    created: datetime,
    seconds: int | None,
    processed: bool = False,
) -> Offer:
    return Offer.objects.create(
        enquiry=e,
        partner=partner,
        brand=brand,
        status=status,
        created_at=created,
        deadline_at=created,
        decided_at=None if status == "pending" else created,
        working_seconds=seconds,
        processed_at=created if processed else None,
    )


def build() -> ReportWorld:
    w = build_world()
    b, a, d, o = w.brand, w.dealer_a, w.dealer_b, w.other_brand
    studio = OrgUnit.objects.get(organisation=b, key="studio")
    e = {
        "own_ordered": make(
            b,
            b,
            "quote",
            at(11, 5),
            channel=w.channel,
            status="ordered",
            site_country="IT",
            quote_number="Q1",
            quote_amount=Decimal("1000.00"),
            order_number="O1",
            order_amount=Decimal("900.00"),
            assigned_unit=studio,
            appointment_place="showroom",
            appointment_unit=studio,
            referrer_url="https://www.google.com/search",
            utm_source="google",
        ),
        "partner_ordered": make(
            d,
            b,
            "quote",
            at(11, 10),
            channel=w.channel,
            status="ordered",
            site_country="IT",
            site_postal_code="39100",
            quote_number="Q2",
            quote_amount=Decimal("5000.00"),
            order_number="O2",
            order_amount=Decimal("4500.00"),
        ),
        "own_processing": make(
            b, b, "quote", at(11, 12), status="processing", contact_country="AT"
        ),
        "sample": make(b, b, "sample", at(11, 20), channel=w.channel, site_country="IT"),
        # Shared with the brand (B10), but not from its channels: never in its reports.
        "partner_brochure": make(d, None, "brochure", at(11, 15), shared_with=b),
        "other_brand": make(
            o,
            o,
            "quote",
            at(11, 3),
            channel=w.other_channel,
            quote_number="X",
            quote_amount=Decimal("777.00"),
        ),
        "october": make(b, b, "quote", at(10, 15), status="ordered", order_number="O0"),
        "december": make(b, b, "quote", at(12, 1, 0, 30)),  # 23:30 UTC on 30 November
    }
    items = {
        sku: CatalogueItem.objects.create(
            brand=b, sku=sku, name=name, kind=kind, updated_at=at(1, 1)
        )
        for sku, name, kind in [
            ("S1", "Oak sample", "sample"),
            ("S2", "Pine sample", "sample"),
            ("B1", "Windows 2026", "brochure"),
        ]
    }
    EnquiryItem.objects.create(enquiry=e["sample"], item=items["S1"], quantity=2)
    EnquiryItem.objects.create(enquiry=e["sample"], item=items["S2"], quantity=1)
    EnquiryItem.objects.create(enquiry=e["partner_brochure"], item=items["B1"], quantity=1)
    tag = Tag.objects.create(organisation=b, name="vip")
    tag.enquiries.add(e["own_ordered"], e["partner_ordered"])
    Tag.objects.create(organisation=d, name="dealer-secret").enquiries.add(e["partner_ordered"])
    h = 3600
    offer(e["own_processing"], b, a, "accepted", at(11, 12), 6 * h, processed=True)
    offer(e["own_processing"], b, a, "rejected", at(11, 13), 8 * h)
    offer(e["partner_ordered"], b, d, "accepted", at(11, 10), 2 * h)
    offer(e["own_ordered"], b, d, "expired", at(11, 6), 48 * h)
    offer(e["october"], b, a, "accepted", at(10, 15), 1 * h, processed=True)
    offer(e["other_brand"], o, d, "accepted", at(11, 3), 1000)
    return ReportWorld(w, e)
