"""GET/POST /api/v1/intake/{channel}/meta with the test world and a local fake Graph API."""

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from leadhub.enquiries.models import Enquiry
from leadhub.intake.models import IntakeReceipt, RejectedDelivery
from leadhub.testing.world import World, api_token

from .conftest import APP_SECRET, VERIFY_TOKEN
from .fakegraph import FakeGraph

pytestmark = pytest.mark.django_db

URL = "/api/v1/intake/meta/meta"
WEBHOOK = (Path(__file__).parent / "fixtures" / "leadgen_webhook.json").read_bytes()
FIRST, SECOND = "1398274650918273", "1398274650918999"


def post(client: Client, body: bytes = WEBHOOK, *, secret: str = APP_SECRET, url: str = URL) -> Any:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        url,
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": f"sha256={digest}"},
    )


def one_lead(leadgen_id: str) -> bytes:
    body = json.loads(WEBHOOK)
    body["entry"][0]["changes"] = [
        c for c in body["entry"][0]["changes"] if c["value"]["leadgen_id"] == leadgen_id
    ]
    return json.dumps(body).encode()


def test_handshake_echoes_the_challenge(meta_world: World, client: Client) -> None:
    ok = client.get(
        URL,
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    assert ok.status_code == 200
    assert ok.content == b"1158201444" and ok["Content-Type"].startswith("text/plain")
    for query in (
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ):
        assert client.get(URL, query).status_code == 403
    # Another kind's channel (the JSON webhook "web") has no Meta handshake.
    web = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"}
    assert client.get("/api/v1/intake/web/meta", web).status_code == 403


def test_each_lead_becomes_an_enquiry_of_the_brand(
    meta_world: World, client: Client, graph: FakeGraph
) -> None:
    response = post(client)
    assert response.status_code == 200, response.content
    first, second = response.json()["leads"]
    assert (first["leadgen_id"], first["result"]) == (FIRST, "created")
    assert (second["leadgen_id"], second["result"]) == (SECOND, "created")
    giulia = Enquiry.objects.select_related("contact").get(number=first["number"])
    assert giulia.owner == meta_world.brand and giulia.channel and giulia.channel.key == "meta"
    assert giulia.type == "quote" and giulia.external_id == FIRST
    assert (giulia.contact.last_name, giulia.contact.phone) == ("Ferrari", "+393471234567")
    assert (giulia.utm_source, giulia.utm_campaign) == ("facebook", "Autumn renovation 2026")
    assert giulia.history.get(kind="received").data["payload"]["lead"]["id"] == FIRST
    huber = Enquiry.objects.select_related("contact").get(number=second["number"])
    assert huber.type == "brochure" and huber.project_name == "Wohnanlage Hall in Tirol"
    assert huber.contact.company == "Huber Bau GmbH"
    assert [p for p, _ in graph.requests] == [f"/v23.0/{FIRST}", f"/v23.0/{SECOND}"]
    # The brand's users see them through the API; another brand's users do not.
    own = client.get(
        f"/api/v1/enquiries/{giulia.url_number}", headers=api_token(client, "dispatcher")
    )
    assert own.status_code == 200
    other = client.get(
        f"/api/v1/enquiries/{giulia.url_number}", headers=api_token(client, "other-user")
    )
    assert other.status_code == 404


def test_a_repeated_notification_stores_nothing_twice_and_reads_nothing_again(
    meta_world: World, client: Client, graph: FakeGraph
) -> None:
    first = post(client).json()
    again = post(client)
    assert again.status_code == 200
    assert [lead["result"] for lead in again.json()["leads"]] == ["replayed", "replayed"]
    assert [lead["number"] for lead in again.json()["leads"]] == [
        lead["number"] for lead in first["leads"]
    ]
    assert Enquiry.objects.count() == 2 and len(graph.requests) == 2


def test_a_lead_graph_cannot_give_now_is_stored_later(
    meta_world: World, client: Client, graph: FakeGraph
) -> None:
    graph.failing[FIRST] = 500
    failed = post(client)
    assert failed.status_code == 502  # Meta delivers the notification again
    first, second = failed.json()["leads"]
    assert first["result"] == "failed" and "answered 500" in first["problems"][0]
    assert first["number"] is None and second["result"] == "created"
    assert list(Enquiry.objects.values_list("external_id", flat=True)) == [SECOND]
    assert not IntakeReceipt.objects.filter(external_id=FIRST).exists()
    assert not RejectedDelivery.objects.exists()  # nothing wrong with the delivery itself
    del graph.failing[FIRST]
    retried = post(client)
    assert retried.status_code == 200
    assert [lead["result"] for lead in retried.json()["leads"]] == ["created", "replayed"]
    assert Enquiry.objects.count() == 2


def test_graph_unreachable_stores_nothing(meta_world: World, client: Client) -> None:
    from leadhub.intake.models import Channel

    channel = Channel.objects.get(key="meta")
    channel.settings = {**channel.settings, "graph_url": "http://127.0.0.1:9"}
    channel.save()
    response = post(client)
    assert response.status_code == 502
    assert [lead["result"] for lead in response.json()["leads"]] == ["failed", "failed"]
    assert not Enquiry.objects.exists() and not IntakeReceipt.objects.exists()


def test_a_wrong_signature_is_refused_and_nothing_kept(
    meta_world: World, client: Client, graph: FakeGraph
) -> None:
    assert post(client, secret="not-the-app-secret").status_code == 401
    unsigned = client.post(URL, WEBHOOK, content_type="application/json")
    assert unsigned.status_code == 401
    assert post(client, url="/api/v1/intake/nope/meta").status_code == 401
    assert post(client, url="/api/v1/intake/web/meta").status_code == 401  # not a Meta channel
    assert not Enquiry.objects.exists() and not RejectedDelivery.objects.exists()
    assert graph.requests == []


def test_a_bad_notification_is_refused_and_kept(meta_world: World, client: Client) -> None:
    assert post(client, b"{oops").status_code == 400
    response = post(
        client, b'{"object": "page", "entry": [{"changes": [{"field": "leadgen", "value": {}}]}]}'
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"entry.0.changes.0.value.leadgen_id"}
    unreadable, invalid = RejectedDelivery.objects.order_by("id")
    assert unreadable.channel.key == "meta" and unreadable.body == "{oops"
    assert invalid.reason == "invalid fields"
    assert not Enquiry.objects.exists()


def test_a_lead_with_unusable_data_is_kept_for_inspection(
    meta_world: World, client: Client, graph: FakeGraph
) -> None:
    graph.leads[FIRST] = {"id": FIRST, "field_data": [{"name": "email", "values": ["nope"]}]}
    response = post(client, one_lead(FIRST))
    assert response.status_code == 200  # Meta cannot fix it by sending it again
    (lead,) = response.json()["leads"]
    assert lead["result"] == "rejected"
    assert any(p.startswith("contact.email") for p in lead["problems"])
    (kept,) = RejectedDelivery.objects.all()
    assert kept.reason == f"lead {FIRST}: invalid fields"
    assert json.loads(kept.body)["lead"]["field_data"][0]["values"] == ["nope"]
    assert not Enquiry.objects.exists()


def test_a_notification_without_leads_is_fine(meta_world: World, client: Client) -> None:
    body = b'{"object": "page", "entry": [{"id": "1", "time": 1, "changes": [{"field": "feed", "value": {}}]}]}'
    response = post(client, body)
    assert response.status_code == 200 and response.json() == {"leads": []}


def test_an_oversized_body_is_refused(
    meta_world: World, client: Client, graph: FakeGraph, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.loads(WEBHOOK)
    body["entry"][0]["padding"] = "x" * 20_000
    assert post(client, json.dumps(body).encode()).status_code == 400
    assert not Enquiry.objects.exists() and graph.requests == []
