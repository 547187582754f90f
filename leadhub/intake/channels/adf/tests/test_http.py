"""POST /api/v1/intake/{channel}/adf: authentication, replay, refusals kept, all or none."""

import hashlib
import hmac
from typing import Any

import pytest
from django.test import Client

from leadhub.enquiries.actions import receive_enquiry
from leadhub.enquiries.models import Enquiry
from leadhub.intake.leaddata import LeadData
from leadhub.intake.models import Channel, IntakeReceipt, RejectedDelivery
from leadhub.orgs.models import User
from leadhub.routing.planner import Routed
from leadhub.testing.world import BRAND_TOKEN, World, login

from .conftest import ADF_TOKEN, fixture, post_adf

pytestmark = pytest.mark.django_db


def test_a_test_drive_lead_becomes_an_enquiry(channel: Channel, client: Client) -> None:
    response = post_adf(client, fixture("dealer_website_test_drive.xml"))
    assert response.status_code == 201, response.content
    body = response.json()
    enquiry = Enquiry.objects.get(number=body["number"])
    assert body["enquiries"] == [{k: v for k, v in body.items() if k != "enquiries"}]
    assert enquiry.type == "test_drive" and enquiry.channel == channel
    assert enquiry.owner == channel.brand and enquiry.origin_brand == channel.brand
    assert enquiry.external_id == "autohaus-bolzano.example:WEB-2026-004711"
    assert enquiry.contact.email == "luca.moretti@example.com"
    assert "2027 Alpina Roadster GT" in enquiry.text
    received = enquiry.history.get(kind="received")
    assert received.data["payload"]["format"] == "adf"


def test_the_same_lead_again_is_a_replay(channel: Channel, client: Client) -> None:
    first = post_adf(client, fixture("dealer_website_test_drive.xml"))
    again = post_adf(client, fixture("dealer_website_test_drive.xml"))
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Enquiry.objects.count() == 1


def test_a_signed_delivery_is_taken(channel: Channel, client: Client) -> None:
    body = fixture("cdata_mobile_brochure.xml")
    signature = hmac.new(ADF_TOKEN.encode(), body, hashlib.sha256).hexdigest()
    response = client.post(
        "/api/v1/intake/dealer-xml/adf",
        body,
        content_type="text/xml; charset=utf-8",
        headers={"X-Leadhub-Signature": f"sha256={signature}"},
    )
    assert response.status_code == 201, response.content
    assert Enquiry.objects.get().type == "brochure"


def test_wrong_credentials_answer_401_and_keep_nothing(
    world: World, channel: Channel, client: Client
) -> None:
    body = fixture("dealer_website_test_drive.xml")
    assert post_adf(client, body, token="wrong-token-xxxxxxxx").status_code == 401
    assert post_adf(client, b"<junk", token="wrong-token-xxxxxxxx").status_code == 401
    assert post_adf(client, body, channel="nope").status_code == 401
    # A JSON-webhook channel's own token does not open the ADF door.
    assert post_adf(client, body, channel="web", token=BRAND_TOKEN).status_code == 401
    forged = client.post(
        "/api/v1/intake/dealer-xml/adf",
        body,
        content_type="application/xml",
        headers={"X-Leadhub-Signature": "sha256=" + "0" * 64},
    )
    assert forged.status_code == 401
    assert not Enquiry.objects.exists() and not RejectedDelivery.objects.exists()


def test_an_attack_is_refused_and_kept(channel: Channel, client: Client) -> None:
    response = post_adf(client, fixture("billion_laughs.xml"))
    assert response.status_code == 400
    assert "DTD" in response.json()["errors"][0]["message"]
    kept = RejectedDelivery.objects.get()
    assert kept.channel == channel and kept.reason == "not readable"
    assert "<!ENTITY lol9" in kept.body and kept.content_type == "application/xml"
    assert not Enquiry.objects.exists()


def test_invalid_fields_answer_422_and_are_kept(channel: Channel, client: Client) -> None:
    body = b"<adf><prospect><customer><contact><name>X</name></contact></customer></prospect></adf>"
    response = post_adf(client, body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "prospect.customer.contact",
            "message": "an e-mail address or a phone number is required",
        }
    ]
    assert RejectedDelivery.objects.get().reason == "invalid fields"


def test_not_xml_answers_415_and_is_kept(channel: Channel, client: Client) -> None:
    response = post_adf(client, b'{"type": "quote"}', content_type="application/json")
    assert response.status_code == 415
    kept = RejectedDelivery.objects.get()
    assert kept.reason == "not XML" and kept.errors[0]["field"] == "Content-Type"


def test_two_prospects_make_two_enquiries(channel: Channel, client: Client) -> None:
    response = post_adf(client, fixture("two_prospects.xml"))
    assert response.status_code == 201
    numbers = [e["number"] for e in response.json()["enquiries"]]
    assert len(set(numbers)) == 2 and response.json()["number"] == numbers[0]
    assert set(Enquiry.objects.values_list("external_id", flat=True)) == {
        "leadportal.example:LP-1001",
        "leadportal.example:LP-1002",
    }
    again = post_adf(client, fixture("two_prospects.xml"))
    assert again["Idempotent-Replayed"] == "true" and Enquiry.objects.count() == 2


def test_a_document_is_stored_whole_or_not_at_all(
    channel: Channel, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def failing_second(lead: LeadData, **kwargs: Any) -> tuple[Enquiry, Routed]:
        calls.append(lead.external_id)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return receive_enquiry(lead, **kwargs)

    monkeypatch.setattr("leadhub.intake.ingest.receive_enquiry", failing_second)
    client.raise_request_exception = False
    assert post_adf(client, fixture("two_prospects.xml")).status_code == 500
    assert len(calls) == 2  # the first prospect was stored, then rolled back with the second
    assert not Enquiry.objects.exists() and not IntakeReceipt.objects.exists()


def test_idempotency_key_without_ids(channel: Channel, client: Client) -> None:
    body = b"<adf><prospect><customer><contact><name>Rossi</name><phone>0471 123456</phone></contact></customer></prospect></adf>"
    key = {"Idempotency-Key": "order-77"}
    first = post_adf(client, body, headers=key)
    again = post_adf(client, body, headers=key)
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    other = post_adf(client, body.replace(b"Rossi", b"Bianchi"), headers=key)
    assert other.status_code == 409
    assert Enquiry.objects.count() == 1


def test_rejections_are_seen_by_this_brands_admins_only(
    world: World, channel: Channel, client: Client
) -> None:
    post_adf(client, fixture("external_entity.xml"))
    User.objects.filter(username="dispatcher").update(roles=["admin"])
    login(client, "dispatcher")
    html = client.get("/admin/rejected/").content.decode()
    assert "dealer-xml" in html and "/etc/passwd" in html
    login(client, "other-user")  # another brand's admin
    assert "/etc/passwd" not in client.get("/admin/rejected/").content.decode()


def test_openapi_documents_the_xml_body(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/intake/{channel}/adf"]["post"]
    assert {"application/xml", "text/xml"} <= set(operation["requestBody"]["content"])
    assert {"201", "400", "401", "409", "415", "422"} <= set(operation["responses"])
