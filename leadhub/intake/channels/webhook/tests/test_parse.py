import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from leadhub.intake.channels.webhook.parse import parse
from leadhub.intake.leaddata import IntakeError

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def errors_of(body: object, country: str = "IT") -> dict[str, list[str]]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    with pytest.raises(IntakeError) as info:
        parse(raw, default_country=country)
    found: dict[str, list[str]] = {}
    for e in info.value.errors:
        found.setdefault(e.field, []).append(e.message)
    return found


def test_full_web_form_payload() -> None:
    lead = parse(fixture("web_form_quote.json"), default_country="DE")
    assert lead.type == "quote"
    c = lead.contact
    assert (c.first_name, c.last_name, c.email, c.phone) == (
        "Luca",
        "Moretti",
        "luca.moretti@example.com",
        "+390471123456",  # read as an Italian number: the contact's country, not the brand's
    )
    assert c.language == "it"
    assert c.kind == "private"
    assert (c.address.country, c.address.province) == ("IT", "BZ")
    assert lead.site_address is not None
    assert lead.site_address.country == "IT"  # defaults to the contact's country
    assert lead.utm.term == "finestre legno"
    assert lead.external_id == "wf-2026-000812"
    assert lead.submitted_at == datetime(
        2026, 11, 20, 18, 42, 11, tzinfo=timezone(timedelta(hours=1))
    )
    assert lead.raw["consent_marketing"] is True  # unknown keys are kept in the raw payload


def test_company_makes_a_business_contact() -> None:
    body = json.loads(fixture("web_form_quote.json"))
    body["contact"]["company"] = "Studio Moretti"
    assert parse(json.dumps(body).encode(), default_country="IT").contact.kind == "business"


def test_every_problem_is_reported_at_once() -> None:
    found = errors_of({"type": "pizza", "contact": {"email": "x@", "phone": "12"}})
    assert set(found) == {"type", "contact.email", "contact.phone", "contact"}
    assert "a last name or a company is required" in found["contact"]
    assert any("for country IT" in m for m in found["contact.phone"])


def test_missing_contact_data() -> None:
    found = errors_of({"type": "quote", "contact": {"last_name": "Rossi"}})
    assert found == {"contact": ["an e-mail address or a phone number is required"]}
    assert "contact" in errors_of({"type": "quote"})


def test_phone_is_read_in_the_brand_country_without_an_address_country() -> None:
    lead = parse(
        json.dumps(
            {"type": "other", "contact": {"last_name": "Huber", "phone": "0512 567890"}}
        ).encode(),
        default_country="AT",
    )
    assert lead.contact.phone == "+43512567890"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"{not json", "body"),
        (b"[1, 2]", "body"),
        (b"\xff\xfe", "body"),
        (
            json.dumps(
                {
                    "type": "quote",
                    "contact": {"last_name": "R", "email": "r@x.it"},
                    "submitted_at": "2026-11-20T18:42:11",
                }
            ).encode(),
            "submitted_at",
        ),
        (
            json.dumps(
                {
                    "type": "quote",
                    "contact": {
                        "last_name": "R",
                        "email": "r@x.it",
                        "address": {"country": "Italy"},
                    },
                }
            ).encode(),
            "contact.address.country",
        ),
    ],
)
def test_malformed_input(body: bytes, field: str) -> None:
    assert field in errors_of(body)
