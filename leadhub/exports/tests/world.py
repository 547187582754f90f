"""Enquiries to export: the brand's own (with e-mails, phones, tags), one a partner accepted
(with amounts), one offered to a partner (pending), and another brand's."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import openpyxl
from django.utils import timezone

from leadhub.contacts.models import Contact, ContactEmail, ContactPhone
from leadhub.enquiries.models import Enquiry, Tag
from leadhub.orgs.models import Organisation
from leadhub.routing.models import Offer
from leadhub.testing.world import World


@dataclass
class ExportWorld:
    world: World
    e: dict[str, Enquiry]


def make(owner: Organisation, origin: Organisation | None, name: str, **kw: Any) -> Enquiry:
    contact = Contact.objects.create(
        owner=owner,
        title="Sig.",
        first_name=name,
        last_name=f"{name}son",
        company=kw.pop("company", ""),
        email=f"{name.lower()}@example.com",
        phone="+390471123456",
        street="Via Roma 12",
        postal_code="39100",
        city="Bolzano",
        country="IT",
    )
    n = Enquiry.objects.count() + 1
    now = timezone.now()
    fields: dict[str, Any] = {
        "number": f"261105/{n:06d}",
        "type": "quote",
        "status": "processing",
        "created_at": now - timedelta(days=n),
        "updated_at": now - timedelta(hours=n),
        "due_at": now + timedelta(days=10 - n),
    }
    fields.update(kw)
    return Enquiry.objects.create(owner=owner, origin_brand=origin, contact=contact, **fields)


def build(w: World) -> ExportWorld:
    b, a, o = w.brand, w.dealer_a, w.other_brand
    dispatcher = World.user("dispatcher")
    e = {
        "own": make(b, b, "Anna", channel=w.channel, assigned_user=dispatcher),
        "sample": make(b, b, "Bruno", type="sample", company='=HYPERLINK("x")'),
        "closed": make(b, b, "Carla", status="closed", close_reason="Too expensive", due_at=None),
        "ordered": make(
            b, b, "Dario", status="ordered", quote_number="Q7", quote_amount=Decimal("700.00")
        ),
        "accepted": make(
            a,
            b,
            "Elena",
            channel=w.channel,
            quote_number="Q9",
            quote_amount=Decimal("1234.50"),
            order_number="O9",
            order_amount=Decimal("1200.00"),
        ),
        "offered": make(b, b, "Franco", status="offered", channel=w.channel),
        "other": make(o, o, "Gina"),
    }
    now = timezone.now()
    Offer.objects.create(
        enquiry=e["offered"],
        partner=a,
        brand=b,
        status="pending",
        created_at=now,
        deadline_at=now + timedelta(days=2),
    )
    Offer.objects.create(
        enquiry=e["accepted"],
        partner=a,
        brand=b,
        status="accepted",
        created_at=now,
        deadline_at=now,
        decided_at=now,
    )
    c = e["own"].contact
    ContactEmail.objects.create(contact=c, email="anna@example.com", position=0)
    ContactEmail.objects.create(contact=c, email="anna@work.example", position=1)
    ContactPhone.objects.create(contact=c, phone="+390471123456", position=0)
    ContactPhone.objects.create(contact=c, phone="+393331234567", position=1, label="mobile")
    vip = Tag.objects.create(organisation=b, name="VIP")
    vip.enquiries.add(e["own"])
    Tag.objects.create(organisation=a, name="dealer-only").enquiries.add(e["own"])
    return ExportWorld(w, e)


def xlsx_rows(content: bytes) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def numbers_in(rows: list[list[Any]]) -> list[str]:
    return [str(r[1]) for r in rows[1:]]


def as_dict(rows: list[list[Any]], number: str) -> dict[str, Any]:
    head = rows[0]
    row = next(r for r in rows[1:] if r[1] == number)
    return dict(zip(head, row, strict=True))


def local(value: datetime) -> datetime:
    return timezone.localtime(value).replace(tzinfo=None, second=0, microsecond=0)
