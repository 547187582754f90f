import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from leadhub.intake.channels.adf.document import MAX_DOCUMENT_BYTES
from leadhub.intake.channels.adf.interest import enquiry_type
from leadhub.intake.channels.adf.names import Name, split_full_name
from leadhub.intake.channels.adf.parse import parse
from leadhub.intake.channels.adf.when import request_instant
from leadhub.intake.leaddata import IntakeError, LeadData

FIXTURES = Path(__file__).parent / "fixtures"
ROME = ZoneInfo("Europe/Rome")
CET = timezone(timedelta(hours=1))


def leads(body: bytes | str, country: str = "IT") -> list[LeadData]:
    raw = body.encode() if isinstance(body, str) else body
    return parse(raw, default_country=country, zone=ROME)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def errors_of(body: bytes | str) -> dict[str, list[str]]:
    with pytest.raises(IntakeError) as info:
        leads(body)
    found: dict[str, list[str]] = {}
    for e in info.value.errors:
        found.setdefault(e.field, []).append(e.message)
    return found


def prospect(contact: str, *, vehicle: str = "", extra: str = "") -> str:
    return (
        f"<adf><prospect><id source='s'>1</id>{vehicle}"
        f"<customer><contact>{contact}</contact>{extra}</customer></prospect></adf>"
    )


OK_CONTACT = "<name part='full'>Eva Rossi</name><phone>0471 123456</phone>"


def test_dealer_website_test_drive() -> None:
    (lead,) = leads(fixture("dealer_website_test_drive.xml"))
    assert lead.type == "test_drive"
    c = lead.contact
    assert (c.first_name, c.last_name, c.email, c.phone, c.kind) == (
        "Luca",
        "Moretti",
        "luca.moretti@example.com",
        "+390471123456",
        "private",
    )
    a = c.address
    assert (a.street, a.postal_code, a.city, a.province, a.country) == (
        "Via Roma 12",
        "39100",
        "Bolzano",
        "BZ",
        "IT",
    )
    assert lead.external_id == "autohaus-bolzano.example:WEB-2026-004711"
    assert lead.submitted_at == datetime(2026, 11, 20, 18, 42, 11, tzinfo=CET)
    assert lead.utm.source == "Autohaus Bolzano website"
    assert lead.utm.campaign == "Book a test drive form"
    assert lead.referrer_url == "https://www.autohaus-bolzano.example/test-drive"
    lines = lead.text.splitlines()
    assert lines[0] == "I would like to try the hybrid on a mountain road."
    assert lines[1].startswith("Vehicle (test-drive, new): 2027 Alpina Roadster GT Hybrid 2.0 (")
    assert "price 48900 EUR (msrp)" in lines[1]
    assert "colour exterior Glacier White, interior Cognac" in lines[1]
    assert "Timeframe: Saturday morning if possible (between 2026-11-28 and 2026-12-05)" in lines
    assert "Dealer: Autohaus Bolzano" in lines
    assert "Best time to call: evening" in lines
    assert lead.raw["format"] == "adf"
    assert "<vendorname>Autohaus Bolzano</vendorname>" in lead.raw["prospect"]


def test_third_party_provider_lead() -> None:
    (lead,) = leads(fixture("third_party_provider_quote.xml"))
    assert lead.type == "quote"  # buy + trade-in; a leasing that ends ("finance-end") is a quote
    c = lead.contact
    # part="full" only: split, the title kept apart, "von" stays with the family name
    assert (c.title, c.first_name, c.last_name) == ("Dr.", "Anna Maria", "von Stein")
    assert c.phone == "+4915123456789"  # phone type="mobile", read as German (the address)
    assert c.address.street == "Leopoldstraße 8, 3. OG"  # ISO-8859-1, street lines joined
    assert (c.address.city, c.address.country, c.address.province) == ("München", "DE", "BY")
    assert lead.external_id == "CarMarket Europe:CME-88231907"  # the first <id>
    # No zone and a one-digit hour: read in the brand's zone.
    assert lead.submitted_at == datetime(2026, 11, 21, 9, 5, 33, tzinfo=ROME)
    assert "Dealer: Alpina Zentrum München" in lead.text  # no vendorname: the contact's name
    assert "Trade-in (used): 2016 Volkswagen Golf Variant (odometer 148000 km)" in lead.text
    assert "finance method finance, downpayment 8000, balance 0" in lead.text
    assert "Other phone (fax): +49 89 1234567" in lead.text
    assert "status resend" in lead.text


def test_cdata_mobile_phone_and_a_brochure_request() -> None:
    (lead,) = leads(fixture("cdata_mobile_brochure.xml"))
    assert lead.type == "brochure"  # interest " Buy ", but the comments ask for the brochure
    assert (lead.contact.first_name, lead.contact.last_name) == ("Chiara", "De Luca")
    assert lead.contact.phone == "+393471234567"
    assert lead.contact.address.country == "IT"  # none given: the brand's
    assert lead.external_id == "configurator.brand.example:cfg-20261122-0019"
    assert lead.submitted_at == datetime(2026, 11, 22, 10, 15, tzinfo=UTC)
    assert lead.text.startswith("Please send me the brochure & price list <PDF> for the City E.\n")
    assert "Vehicle (buy, new): 2027 Alpina City E" in lead.text
    assert "Best time to call: morning" in lead.text


def test_each_prospect_is_its_own_lead() -> None:
    first, second = leads(fixture("two_prospects.xml"))
    assert (first.type, first.external_id) == ("quote", "leadportal.example:LP-1001")
    assert first.contact.phone == "+393331234567" and first.contact.email == ""
    assert (second.type, second.external_id) == ("quote", "leadportal.example:LP-1002")
    assert second.contact.company == "Rossi Costruzioni S.r.l."
    assert second.contact.kind == "business" and second.contact.last_name == ""
    assert "To sell (used): 2019 Fiat 500X" in second.text


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_xml_attacks_are_refused_with_the_reason(name: str) -> None:
    started = time.monotonic()
    found = errors_of(fixture(name))
    assert time.monotonic() - started < 1  # refused before anything is expanded or fetched
    assert list(found) == ["body"]
    assert "DTD" in found["body"][0] and "entity" in found["body"][0]


def test_entities_without_a_dtd_are_not_resolved() -> None:
    found = errors_of(prospect("<name>&nbsp;</name>"))
    assert "not well-formed XML" in found["body"][0] and "undefined entity" in found["body"][0]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b'{"json": true}', "not well-formed XML"),
        (b"<lead><name>x</name></lead>", "the root element is <lead>, not <adf>"),
        (b"<adf></adf>", "the document has no <prospect>"),
        (b"<adf><prospect>" + b" " * MAX_DOCUMENT_BYTES + b"</prospect></adf>", "larger than"),
    ],
)
def test_what_is_not_an_adf_document(body: bytes, reason: str) -> None:
    assert reason in errors_of(body)["body"][0]


def test_a_lead_nobody_could_call_back_is_refused_naming_every_problem() -> None:
    found = errors_of(prospect("<name part='first'>Eva</name><email>eva@</email><phone>12</phone>"))
    assert set(found) == {
        "prospect.customer.contact",
        "prospect.customer.contact.email",
        "prospect.customer.contact.phone",
        "prospect.customer.contact.name",
    }
    assert found["prospect.customer.contact.name"] == ["a name is required"]
    assert "not valid for country IT" in found["prospect.customer.contact.phone"][0]


def test_problems_of_several_prospects_are_reported_together() -> None:
    good = f"<prospect><customer><contact>{OK_CONTACT}</contact></customer></prospect>"
    bad = "<prospect><customer><contact><name>X</name></contact></customer></prospect>"
    found = errors_of(f"<adf>{good}{bad}{bad}</adf>")
    assert set(found) == {"prospect[2].customer.contact", "prospect[3].customer.contact"}


def test_a_bad_email_beside_a_good_phone_becomes_a_note() -> None:
    (lead,) = leads(prospect(OK_CONTACT + "<email>eva at example</email>"))
    assert lead.contact.email == "" and lead.contact.phone == "+390471123456"
    assert "E-mail as given (not valid): eva at example" in lead.text


def test_a_fax_is_not_the_number_to_call() -> None:
    contact = (
        "<name part='last'>Rossi</name><phone type='fax'>0471 111111</phone>"
        "<phone type='cellphone'>347 1234567</phone>"
    )
    (lead,) = leads(prospect(contact))
    assert lead.contact.phone == "+393471234567"
    assert "Other phone (fax): 0471 111111" in lead.text


def test_lenient_reading() -> None:
    # A bare <prospect>, a namespace, tags and attribute names in capitals, no <id>,
    # an unknown country spelled out, a non-ISO request date.
    body = (
        "<Prospect xmlns='http://example.com/adf'><RequestDate>2/9/2020 6:26PM</RequestDate>"
        "<Vehicle INTEREST='Test Drive'><Make>Alpina</Make></Vehicle><Customer><Contact>"
        "<Name Part='Last'>Rossi</Name><Email>ROSSI@EXAMPLE.COM</Email>"
        "<Address><Country>Italy</Country></Address></Contact></Customer></Prospect>"
    )
    (lead,) = leads(body, country="AT")
    assert lead.type == "test_drive"
    assert lead.contact.email == "rossi@example.com"
    assert lead.contact.address.country == "AT"
    assert "Country as given: Italy" in lead.text
    assert lead.submitted_at is None and "Request date as given: 2/9/2020 6:26PM" in lead.text
    assert lead.external_id == ""


def test_id_without_source() -> None:
    (lead,) = leads(prospect(OK_CONTACT).replace("<id source='s'>1</id>", "<id>77</id>"))
    assert lead.external_id == "77"


@pytest.mark.parametrize(
    ("interests", "comments", "expected"),
    [
        (["test-drive"], "", "test_drive"),
        (["buy", "trade-in"], "", "quote"),
        (["lease"], "", "quote"),
        (["sell"], "", "quote"),
        (["trade-in"], "", "quote"),
        (["buy"], "Can I book a test drive on Saturday?", "test_drive"),
        (["buy"], "Bitte um eine Probefahrt", "test_drive"),
        (["buy"], "Please mail me a brochure", "brochure"),
        (["test-drive"], "and a brochure", "test_drive"),
        (["brochure"], "", "brochure"),
        (["service"], "", "other"),
        ([], "", "other"),
    ],
)
def test_interest_to_enquiry_type(interests: list[str], comments: str, expected: str) -> None:
    assert enquiry_type(interests, comments) == expected


def test_vehicle_interest_spellings_and_the_default() -> None:
    for spelled in ("test-drive", "TestDrive", " test drive ", "test_drive"):
        body = prospect(OK_CONTACT, vehicle=f"<vehicle interest='{spelled}'/>")
        assert leads(body)[0].type == "test_drive"
    # ADF's default interest is buy
    assert leads(prospect(OK_CONTACT, vehicle="<vehicle/>"))[0].type == "quote"
    assert leads(prospect(OK_CONTACT))[0].type == "other"  # no vehicle at all


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20T18:42:11+01:00", datetime(2026, 11, 20, 18, 42, 11, tzinfo=CET)),
        ("2026-11-20T17:42:11Z", datetime(2026, 11, 20, 17, 42, 11, tzinfo=UTC)),
        ("2026-11-20T18:42:11+0100", datetime(2026, 11, 20, 18, 42, 11, tzinfo=CET)),
        ("2026-11-20T18:42:11+01", datetime(2026, 11, 20, 18, 42, 11, tzinfo=CET)),
        ("2000-03-30T15:30:20-08:0", datetime(2000, 3, 30, 23, 30, 20, tzinfo=UTC)),
        ("2026-11-20T18:42:11.250+01:00", datetime(2026, 11, 20, 18, 42, 11, tzinfo=CET)),
        ("2026-11-20T18:42:11", datetime(2026, 11, 20, 18, 42, 11, tzinfo=ROME)),
        ("2026-07-20 8:05", datetime(2026, 7, 20, 8, 5, tzinfo=ROME)),
        ("2026-11-20", datetime(2026, 11, 20, tzinfo=ROME)),
        ("2026-02-30T10:00:00", None),
        ("20/11/2026", None),
        ("2026-11-20T10:00:00+25:00", None),
    ],
)
def test_request_dates(text: str, expected: datetime | None) -> None:
    assert request_instant(text, ROME) == expected


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Luca Moretti", Name(first="Luca", last="Moretti")),
        ("Madonna", Name(last="Madonna")),
        ("Moretti, Luca", Name(first="Luca", last="Moretti")),
        ("Mrs. Jane Q. Public", Name(title="Mrs.", first="Jane Q.", last="Public")),
        ("Ludwig van Beethoven", Name(first="Ludwig", last="van Beethoven")),
        ("Maria de la Cruz", Name(first="Maria", last="de la Cruz")),
        ("  Chiara   De Luca ", Name(first="Chiara", last="De Luca")),
        ("Dr. Who", Name(title="Dr.", last="Who")),
    ],
)
def test_full_names_are_split(full: str, expected: Name) -> None:
    assert split_full_name(full) == expected
