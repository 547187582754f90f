"""Rows and headers without a database (decision 0042): who sees what in each cell."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import translation

from leadhub.contacts.models import Contact
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import Access
from leadhub.exports.columns import COLUMNS, Related, RowMaker, headers, site_address
from leadhub.orgs.models import Organisation, OrgUnit, User
from leadhub.routing.models import Offer

ROME = ZoneInfo("Europe/Rome")
BRAND = Organisation(pk=1, key="brand", name="Brand Windows", kind="brand")
DEALER = Organisation(pk=2, key="dealer", name="Dealer A", kind="partner")


def enquiry(**kw: object) -> Enquiry:
    contact = Contact(
        title="Sig.",
        first_name="Luca",
        last_name="Moretti",
        company="=cmd|' /C calc'!A0",
        email="luca@example.com",
        phone="+390471123456",
        street="Via Roma 12",
        postal_code="39100",
        city="Bolzano",
        country="IT",
    )
    fields: dict[str, object] = {
        "number": "261105/000001",
        "type": "quote",
        "status": "quote_delivered",
        "created_at": datetime(2026, 11, 5, 23, 30, tzinfo=UTC),  # 6 Nov in Rome
        "due_at": datetime(2026, 11, 10, 9, 0, tzinfo=UTC),
        "owner": DEALER,
        "contact": contact,
        "quote_number": "Q-1",
        "quote_amount": Decimal("12500.50"),
        "order_number": "O-1",
        "order_amount": Decimal("12000.00"),
        "close_reason": "",
        "appointment_place": "showroom",
        "appointment_unit": OrgUnit(pk=5, name="Studio Bolzano"),
        "appointment_at": datetime(2026, 11, 7, 14, 0, tzinfo=UTC),
        "site_street": "Via Museo 1",
        "site_postal_code": "39100",
        "site_city": "Bolzano",
        "site_country": "IT",
        "text": "Please call Luca Moretti at 0471 123456.",
        "assigned_user": User(pk=9, first_name="Anna", last_name="Bauer", username="anna"),
    }
    fields.update(kw)
    e = Enquiry(**fields)
    e.pending_offers = []  # type: ignore[attr-defined]
    return e


def cells(row: Sequence[object]) -> dict[str, object]:
    return {c.key: v for c, v in zip(COLUMNS, row, strict=True)}


RELATED = Related(
    emails=["luca@example.com", "l.moretti@work.example"], phones=["+390471123456"], tags=["VIP"]
)


def test_the_owner_gets_every_column_in_the_organisations_time_zone() -> None:
    with translation.override("en"):
        row = cells(RowMaker(org_id=2, tz=ROME).row(enquiry(), 7, Access.OWNER, RELATED))
    assert row["position"] == 7
    assert row["created"] == datetime(2026, 11, 6, 0, 30)  # Rome, without the zone
    assert row["type"] == "Quote" and row["status"] == "Quote delivered"
    assert row["first_name"] == "Luca" and row["last_name"] == "Moretti"
    assert row["emails"] == "luca@example.com, l.moretti@work.example"
    assert row["phones"] == "+390471123456"
    assert row["address"] == "Via Roma 12, 39100 Bolzano, IT"
    assert row["site"] == "Via Museo 1, 39100 Bolzano, IT"
    assert row["responsible"] == "Anna Bauer"
    assert row["tags"] == "VIP"
    assert row["appointment_place"] == "In a showroom: Studio Bolzano"
    assert row["quote_amount"] == Decimal("12500.50") and row["order_number"] == "O-1"


def test_the_brand_never_gets_a_partners_numbers_or_amounts() -> None:
    row = cells(RowMaker(org_id=1, tz=ROME).row(enquiry(), 1, Access.ORIGIN, RELATED))
    assert row["last_name"] == "Moretti"  # it follows its channel's enquiry
    assert row["responsible"] == "Dealer A"  # the partner holds it
    for key in ("quote_number", "quote_amount", "order_number", "order_amount"):
        assert row[key] in ("", None), key


def test_an_offer_not_yet_accepted_is_anonymised_as_on_screen() -> None:
    e = enquiry(owner=BRAND, status="offered", quote_number="", quote_amount=None)
    e.pending_offers = [Offer(partner=DEALER)]  # type: ignore[attr-defined]
    row = cells(RowMaker(org_id=2, tz=ROME).row(e, 1, Access.PREVIEW, RELATED))
    assert row["site"] == "39… Bolzano, IT"  # the area, not the street
    assert row["responsible"] == "Dealer A"
    text = " ".join(str(v) for v in row.values() if v)
    for personal in ("Luca", "Moretti", "Via", "example.com", "0471", "Studio", "VIP"):
        assert personal not in text
    assert row["number"] == "261105/000001" and row["type"] == "Quote"


def test_the_queue_and_an_empty_site() -> None:
    e = enquiry(
        owner=BRAND,
        assigned_user=None,
        site_street="",
        site_postal_code="",
        site_city="",
        site_country="",
    )
    row = cells(RowMaker(org_id=1, tz=ROME).row(e, 1, Access.OWNER, Related()))
    assert row["responsible"] == "Dispatcher queue"
    assert row["site"] == "" and row["emails"] == ""
    assert site_address(enquiry(site_province="BZ")) == "Via Museo 1, 39100 Bolzano (BZ), IT"


def test_headers_in_the_users_language() -> None:
    with translation.override("en"):
        english = headers()
    assert english[:3] == ["Position", "Number", "Received"]
    assert len(english) == len(COLUMNS) == len(set(english))
    with translation.override("de"):
        german = headers()
    assert german != english  # the catalogue has them (leadhub/locale)
