"""The whole path through the API: intake -> rule -> offer -> accept / reject / expire -> next."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client

from leadhub.enquiries.models import Enquiry, Status
from leadhub.routing.models import Absence, Offer, OfferStatus
from leadhub.sla.models import Deadline
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import World, api_token, deliver, payload

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


@pytest.fixture
def world(db: None) -> World:
    return build_handoff_world()


def trento_payload(**overrides: Any) -> dict[str, Any]:
    body = payload(**overrides)
    body["contact"]["address"] = dict(TRENTO)
    body["text"] = (
        "Hello, I am Luca Moretti, call me on 0461 987654 or luca.moretti@example.com. Nine windows."
    )
    return body


def url(number: str, action: str = "") -> str:
    return f"/api/v1/enquiries/{number.replace('/', '-')}" + (f"/{action}" if action else "")


def offered(client: Client) -> str:
    response = deliver(client, trento_payload())
    assert response.status_code == 201, response.content
    return str(response.json()["number"])


def test_intake_offers_to_the_pool_and_explains_why(world: World, client: Client) -> None:
    body = deliver(client, trento_payload()).json()
    assert body["status"] == "offered"
    assert body["routed_to"]["kind"] == "offer" and body["routed_to"]["target"] == "dealer-a"
    e = Enquiry.objects.get(number=body["number"])
    assert e.status == Status.OFFERED and e.owner == world.brand
    routed = e.history.get(kind="routed").message
    assert routed.startswith(
        "Routed at intake: rule tn-pool (order 10) matched because postal code 38122 matches 38*."
    )
    assert "Candidate Dealer A: chosen (least loaded: 0 open)." in routed
    assert "Candidate Dealer B: not chosen (least loaded: 0 open)." in routed
    offer = Offer.objects.get(enquiry=e)
    assert offer.status == OfferStatus.PENDING and offer.deadline is not None
    assert offer.deadline.due_at == offer.deadline_at == e.due_at


def test_deadline_is_48_working_hours_of_the_partner(
    world: World, client: Client, time_machine: Any
) -> None:
    # Friday 23 Dec 2022 16:00 in Trento: Christmas, St Stephen, New Year's Day closed.
    time_machine.move_to(datetime(2022, 12, 23, 16, 0, tzinfo=ROME), tick=False)
    number = offered(client)
    offer = Offer.objects.get(enquiry__number=number)
    assert offer.deadline_at.astimezone(ROME) == datetime(2023, 1, 3, 16, 0, tzinfo=ROME)


def test_partner_sees_the_anonymised_preview_only(world: World, client: Client) -> None:
    number = offered(client)
    auth = api_token(client, "dealer-a-user")
    item = client.get("/api/v1/enquiries", headers=auth).json()["items"][0]
    assert (
        item["access"] == "preview" and item["contact_name"] == "" and item["postal_code"] == "38"
    )
    body = client.get(url(number), headers=auth).json()
    assert body["access"] == "preview" and body["contact"] is None and body["history"] == []
    raw = str(body)
    for secret in ("Moretti", "0461", "987654", "luca.moretti", "Belenzani", "+39"):
        assert secret not in raw, secret
    assert "Nine windows" in body["text"] and body["city"] == "Trento"
    assert body["offer"]["partner"] == "dealer-a"


@pytest.mark.parametrize("username", ["dealer-b-user", "dealer-a-own", "other-user", "sales"])
def test_nobody_else_sees_the_offer(world: World, client: Client, username: str) -> None:
    number = offered(client)
    auth = api_token(client, username)
    assert client.get(url(number), headers=auth).status_code == 404
    assert number not in str(client.get("/api/v1/enquiries", headers=auth).json())
    assert client.post(url(number, "accept"), headers=auth).status_code == 404


def test_accept_makes_the_partner_owner(world: World, client: Client) -> None:
    number = offered(client)
    auth = api_token(client, "dealer-a-user")
    response = client.post(url(number, "accept"), headers=auth)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["access"] == "owner" and body["owner"] == "dealer-a"
    assert body["contact"]["email"] == "luca.moretti@example.com"
    assert body["assigned_to"] == "dealer-a-user"
    assert body["history"][-1]["message"].startswith("Accepted by dealer-a-user of Dealer A")
    e = Enquiry.objects.select_related("contact").get(number=number)
    assert e.contact.owner == world.dealer_a
    assert Deadline.objects.get(enquiry=e).cancelled_at is not None
    # The brand keeps read access to the history.
    brand = client.get(url(number), headers=api_token(client, "dispatcher")).json()
    assert brand["access"] == "origin" and brand["history"][-1]["kind"] == "offer_accepted"
    # Accepting again is refused.
    assert client.post(url(number, "accept"), headers=auth).status_code == 403
    # The partner does not read the brand's routing notes (they name other partners).
    kinds = [h["kind"] for h in body["history"]]
    assert kinds == ["received", "offer_accepted"]
    assert "Dealer B" not in str(body)
    # Nor can a partner route the enquiry back to the brand's rules.
    dealer_admin = api_token(client, "dealer-a-user")
    from leadhub.orgs.models import User

    User.objects.filter(username="dealer-a-user").update(roles=["admin", "dispatcher"])
    assert client.post(url(number, "route"), headers=dealer_admin).status_code == 403
    # It distributes among its own people only (B3): no offering on to another partner.
    refused = client.post(
        url(number, "assign"),
        {"partner": "dealer-b"},
        content_type="application/json",
        headers=dealer_admin,
    )
    assert refused.status_code == 422 and "not a partner of Dealer A" in refused.json()["detail"]
    assert Enquiry.objects.get(number=number).owner == world.dealer_a


def test_brand_users_cannot_accept(world: World, client: Client) -> None:
    number = offered(client)
    assert (
        client.post(url(number, "accept"), headers=api_token(client, "dispatcher")).status_code
        == 403
    )


def test_reject_goes_to_the_next_partner_then_the_dispatcher(world: World, client: Client) -> None:
    number = offered(client)
    a = api_token(client, "dealer-a-user")
    assert (
        client.post(
            url(number, "reject"), {"reason": " "}, content_type="application/json", headers=a
        ).status_code
        == 422
    )
    response = client.post(
        url(number, "reject"),
        {"reason": "Too far for us"},
        content_type="application/json",
        headers=a,
    )
    assert response.status_code == 200, response.content
    assert response.json()["routed_to"]["kind"] == "returned"
    assert client.get(url(number), headers=a).status_code == 404  # gone from A
    e = Enquiry.objects.get(number=number)
    assert Offer.objects.get(enquiry=e, partner=world.dealer_b).status == OfferStatus.PENDING
    returned = e.history.filter(kind="offer_returned").get().message
    assert returned == "Rejected by dealer-a-user of Dealer A: Too far for us"
    assert (
        "Candidate Dealer A: passed over, rejected this enquiry."
        in e.history.filter(kind="routed").values_list("message", flat=True).last()  # type: ignore[operator]
    )

    b = api_token(client, "dealer-b-user")
    client.post(
        url(number, "reject"), {"reason": "No capacity"}, content_type="application/json", headers=b
    )
    e.refresh_from_db()
    assert e.status == Status.NEW and e.owner == world.brand and e.returned_at is not None
    last = e.history.filter(kind="routed").last()
    assert (
        last is not None
        and "No partner of the pool is left. Result: dispatcher queue of Brand Windows."
        in last.message
    )
    returned_list = client.get(
        "/api/v1/enquiries?returned=true", headers=api_token(client, "dispatcher")
    ).json()
    assert [i["number"] for i in returned_list["items"]] == [number]
    # Never offered again to a partner that refused it, even when routed by hand.
    d = api_token(client, "dispatcher")
    again = client.post(url(number, "route"), headers=d).json()
    assert again["routed_to"]["kind"] == "dispatcher"


def test_expiry_returns_and_moves_on(world: World, client: Client, time_machine: Any) -> None:
    time_machine.move_to(datetime(2026, 11, 23, 9, 0, tzinfo=ROME), tick=False)
    number = offered(client)
    offer = Offer.objects.get(enquiry__number=number)
    call_command("sweep", "--at", (offer.deadline_at - timedelta(minutes=1)).isoformat())
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PENDING
    from io import StringIO

    out = StringIO()
    call_command("sweep", "--at", offer.deadline_at.isoformat(), stdout=out)
    assert (
        f"{number}: offer_expiry: offer to dealer-a expired; offered to Dealer B" in out.getvalue()
    )
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.EXPIRED
    e = Enquiry.objects.get(number=number)
    assert e.history.filter(kind="offer_returned").get().message == (
        "The offer to Dealer A expired: no reaction within 48 working hours."
    )
    nxt = Offer.objects.get(enquiry=e, status=OfferStatus.PENDING)
    assert nxt.partner == world.dealer_b
    # Firing again does nothing: each deadline fires once.
    out = StringIO()
    call_command("sweep", "--at", offer.deadline_at.isoformat(), stdout=out)
    assert "0 deadline(s) fired." in out.getvalue()


def test_assign_to_user_and_unit_with_absence(world: World, client: Client) -> None:
    sales, dispatcher = World.user("sales"), World.user("dispatcher")
    brochure = payload(type="brochure")
    assert deliver(client, brochure).json()["routed_to"] == {
        "kind": "user",
        "target": "sales",
        "description": "assigned to sales",
    }
    Absence.objects.create(
        user=sales,
        weekdays=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        substitute=dispatcher,
    )
    body = deliver(client, payload(type="brochure")).json()
    assert body["routed_to"]["target"] == "dispatcher"
    e = Enquiry.objects.get(number=body["number"])
    assert "sales is absent today." in e.history.get(kind="routed").message
    quote = deliver(client, payload()).json()
    assert quote["routed_to"] == {
        "kind": "unit",
        "target": "studio",
        "description": "queue of Studio",
    }


def test_dispatcher_assigns_by_hand_withdrawing_the_offer(world: World, client: Client) -> None:
    number = offered(client)
    d = api_token(client, "dispatcher")
    response = client.post(
        url(number, "assign"), {"partner": "dealer-b"}, content_type="application/json", headers=d
    )
    assert response.status_code == 200, response.content
    statuses = dict(
        Offer.objects.filter(enquiry__number=number).values_list("partner__key", "status")
    )
    assert statuses == {"dealer-a": "withdrawn", "dealer-b": "pending"}
    assert (
        client.post(
            url(number, "assign"), {"partner": "ghost"}, content_type="application/json", headers=d
        ).status_code
        == 422
    )
    assert (
        client.post(
            url(number, "assign"), {}, content_type="application/json", headers=d
        ).status_code
        == 422
    )
    assert (
        client.post(
            url(number, "assign"), {"user": "sales"}, content_type="application/json", headers=d
        ).json()["description"]
        == "assigned to sales"
    )
    assert (
        client.post(url(number, "route"), headers=api_token(client, "dealer-b-user")).status_code
        == 404
    )


def test_routing_explain_command(world: World) -> None:
    from io import StringIO

    out = StringIO()
    call_command(
        "routing",
        "explain",
        "--brand",
        "brand",
        "--type",
        "brochure",
        "--country",
        "IT",
        "--postal-code",
        "39100",
        stdout=out,
    )
    assert out.getvalue().splitlines() == [
        "passed over: rule tn-pool (order 10): postal code 39100 is outside 38*",
        "rule bz-brochures (order 20) matched because type brochure is brochure; "
        "it lies in zone south-tyrol (postal code 39100 matches 39000-39999)",
        "then: assign_to_user=sales",
    ]
    assert not Enquiry.objects.exists()
