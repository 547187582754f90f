"""The pure parts of Meta lead ads: no database, no HTTP."""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from leadhub.intake.channels.meta_lead_ads.parse import (
    LeadRef,
    lead_from_graph,
    parse_notification,
    signature_ok,
)
from leadhub.intake.channels.meta_lead_ads.settings import MetaLeadAdsSettings
from leadhub.intake.channels.registry import checked_settings
from leadhub.intake.leaddata import IntakeError

FIXTURES = Path(__file__).parent / "fixtures"
SETTINGS: dict[str, Any] = {
    "app_secret": "meta-app-secret-0123456789",
    "verify_token": "verify-me-42",
    "page_access_token": "EAAGm0PX4ZCpsBAPageToken123",
}


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_bytes())


def settings(**more: Any) -> MetaLeadAdsSettings:
    return MetaLeadAdsSettings.model_validate({**SETTINGS, **more})


def refs() -> list[LeadRef]:
    return parse_notification((FIXTURES / "leadgen_webhook.json").read_bytes())


def errors_of(exc: pytest.ExceptionInfo[IntakeError]) -> dict[str, str]:
    return {e.field: e.message for e in exc.value.errors}


def test_notification_announces_each_lead_in_order() -> None:
    first, second = refs()
    assert first == LeadRef(
        leadgen_id="1398274650918273",
        form_id="812734561209834",
        page_id="104729385610278",
        ad_id="120210345678900123",
        adgroup_id="120210345678900123",
        created_time=datetime(2026, 11, 26, 14, 48, 51, tzinfo=UTC),
    )
    assert second.leadgen_id == "1398274650918999"


def test_other_fields_are_skipped_and_numeric_ids_accepted() -> None:
    body = {
        "object": "page",
        "entry": [
            {
                "id": "1",
                "time": 1,
                "changes": [
                    {"field": "feed", "value": {"item": "status"}},
                    {"field": "leadgen", "value": {"leadgen_id": 44, "form_id": 55, "page_id": 1}},
                ],
            }
        ],
    }
    (ref,) = parse_notification(json.dumps(body).encode())
    assert (ref.leadgen_id, ref.form_id, ref.ad_id, ref.created_time) == ("44", "55", "", None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"{not json", "body"),
        (b"[]", "body"),
        (b'{"object": "page"}', "entry"),
        (b'{"object": "user", "entry": []}', "object"),
        (
            b'{"object": "page", "entry": [{"changes": [{"field": "leadgen", '
            b'"value": {"leadgen_id": "../me", "form_id": "1", "page_id": "1"}}]}]}',
            "entry.0.changes.0.value.leadgen_id",
        ),
        (
            b'{"object": "page", "entry": [{"changes": [{"field": "leadgen", "value": {}}]}]}',
            "entry.0.changes.0.value.form_id",
        ),
    ],
)
def test_malformed_notifications(body: bytes, field: str) -> None:
    with pytest.raises(IntakeError) as info:
        parse_notification(body)
    assert field in errors_of(info)


def test_standard_fields_map_to_the_contact_and_questions_to_the_text() -> None:
    lead = lead_from_graph(
        fixture("graph_lead_1398274650918273.json"), refs()[0], settings(), default_country="DE"
    )
    c = lead.contact
    assert (c.first_name, c.last_name) == ("Giulia Bianchi", "Ferrari")
    assert (c.email, c.phone) == ("giulia.bianchi@example.com", "+393471234567")
    assert (c.address.postal_code, c.address.city, c.address.country) == ("39012", "Merano", "IT")
    assert c.kind == "private"
    assert lead.type == "quote"
    assert (
        lead.text == "how many windows do you need: 6-10\nwhen do you plan the works: spring 2027"
    )
    assert (lead.utm.source, lead.utm.medium, lead.utm.campaign, lead.utm.content) == (
        "facebook",
        "lead_ad",
        "Autumn renovation 2026",
        "Windows autumn - carousel",
    )
    assert lead.external_id == "1398274650918273"
    assert lead.submitted_at == datetime(2026, 11, 26, 14, 48, 51, tzinfo=UTC)
    assert lead.raw["leadgen"]["form_id"] == "812734561209834"
    assert lead.raw["lead"]["field_data"][0]["name"] == "full_name"


def test_a_forms_settings_choose_type_and_mapping() -> None:
    s = settings(
        forms={
            "902837465102938": {
                "type": "brochure",
                "fields": {"projekt": "project_name", "datenschutz_gelesen": "ignore"},
            }
        }
    )
    lead = lead_from_graph(
        fixture("graph_lead_1398274650918999.json"), refs()[1], s, default_country="IT"
    )
    c = lead.contact
    assert lead.type == "brochure"
    assert (c.first_name, c.last_name, c.company, c.kind) == (
        "Thomas",
        "Huber",
        "Huber Bau GmbH",
        "business",
    )
    assert c.email == "t.huber@huber-bau.example"
    assert c.phone == "+43512567890"  # read as an Austrian number: the lead's country
    assert lead.project_name == "Wohnanlage Hall in Tirol"
    assert lead.text == "anzahl fenster: 120"  # the ignored consent answer is not in it
    assert lead.utm.source == "instagram" and lead.utm.content == "120210345678900456"
    # Without the form's settings: defaults, and the custom answers go to the text.
    plain = lead_from_graph(
        fixture("graph_lead_1398274650918999.json"), refs()[1], settings(), default_country="IT"
    )
    assert plain.type == "quote" and plain.project_name == ""
    assert "projekt: Wohnanlage Hall in Tirol" in plain.text


def test_a_country_that_is_no_code_stays_readable_and_the_brand_country_applies() -> None:
    graph = {
        "id": "7",
        "field_data": [
            {"name": "full_name", "values": ["Rossi"]},
            {"name": "phone_number", "values": ["0471 123456"]},
            {"name": "country", "values": ["Italia"]},
        ],
    }
    lead = lead_from_graph(graph, LeadRef("7", "1", "1"), settings(), default_country="IT")
    assert (lead.contact.last_name, lead.contact.phone) == ("Rossi", "+390471123456")
    assert lead.contact.address.country == "IT" and lead.text == "country: Italia"


def test_a_lead_without_contact_data_lists_every_problem() -> None:
    graph = {
        "id": "7",
        "field_data": [
            {"name": "email", "values": ["not-an-address"]},
            {"name": "phone_number", "values": ["12"]},
        ],
    }
    with pytest.raises(IntakeError) as info:
        lead_from_graph(graph, LeadRef("7", "1", "1"), settings(), default_country="IT")
    found = errors_of(info)
    assert set(found) == {"contact.email", "contact.phone", "contact"}
    assert found["contact"] == "a last name or a company is required"


@pytest.mark.parametrize(
    ("graph", "field"),
    [
        ({"id": "8", "field_data": []}, "lead.id"),
        ({"id": "7"}, "lead.field_data"),
        ({"id": "7", "field_data": [{"values": ["x"]}]}, "lead.field_data.0.name"),
    ],
)
def test_malformed_graph_leads(graph: dict[str, Any], field: str) -> None:
    with pytest.raises(IntakeError) as info:
        lead_from_graph(graph, LeadRef("7", "1", "1"), settings(), default_country="IT")
    assert field in errors_of(info)


def test_signature_is_the_hmac_of_the_raw_body_keyed_by_the_app_secret() -> None:
    body = (FIXTURES / "leadgen_webhook.json").read_bytes()
    good = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    assert signature_ok(body, good, "app-secret")
    assert signature_ok(body, good.upper().replace("SHA256=", "sha256="), "app-secret")
    assert not signature_ok(body + b" ", good, "app-secret")
    assert not signature_ok(body, good, "other-secret")
    assert not signature_ok(body, good[7:], "app-secret")  # without the sha256= prefix
    assert not signature_ok(body, "", "app-secret")


def test_settings_are_checked_when_the_network_file_is_loaded() -> None:
    stored = checked_settings("meta_lead_ads", SETTINGS)
    assert stored["graph_url"] == "https://graph.facebook.com" and stored["type"] == "quote"
    with pytest.raises(ValidationError):
        checked_settings("meta_lead_ads", {**SETTINGS, "graph_version": "23"})
    with pytest.raises(ValidationError):
        checked_settings("meta_lead_ads", {**SETTINGS, "forms": {"1": {"fields": {"a": "nope"}}}})
    with pytest.raises(ValidationError):
        checked_settings("meta_lead_ads", {**SETTINGS, "app_secrett": "typo"})
    with pytest.raises(ValidationError):
        checked_settings("meta_lead_ads", {"verify_token": "verify-me-42"})
