"""Offer pages: the partner's preview, accept and reject; the dispatcher's assignment."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leadhub.enquiries.models import Enquiry
from leadhub.routing.models import Offer
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import World, deliver, login, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_handoff_world()


@pytest.fixture
def number(world: World, client: Client) -> str:
    body: dict[str, Any] = payload()
    body["contact"]["address"] = dict(TRENTO)
    body["text"] = "I am Luca Moretti, phone 0461 987654. Nine windows please."
    return str(deliver(client, body).json()["number"])


def page(number: str, action: str = "") -> str:
    return f"/enquiries/{number.replace('/', '-')}/" + (f"{action}/" if action else "")


def test_offer_is_marked_at_the_top_of_the_partners_list(number: str, client: Client) -> None:
    login(client, "dealer-a-user")
    html = client.get("/enquiries/").content.decode()
    assert "Offers waiting for you (1)" in html and number in html
    assert "Moretti" not in html and "0461" not in html


def test_preview_page_hides_personal_data(number: str, client: Client) -> None:
    login(client, "dealer-a-user")
    html = client.get(page(number)).content.decode()
    assert "Accept enquiry" in html and "Reject enquiry" in html
    assert "Nine windows please." in html and "38… Trento" in html
    for secret in ("Moretti", "0461", "987654", "luca.moretti", "Belenzani", "Received through"):
        assert secret not in html, secret


def test_accept_button(number: str, client: Client, world: World) -> None:
    login(client, "dealer-a-user")
    response = client.post(page(number, "accept"), follow=True)
    html = response.content.decode()
    assert "Accepted: the enquiry is yours now." in html
    assert "luca.moretti@example.com" in html
    assert Enquiry.objects.get(number=number).owner == world.dealer_a


def test_reject_needs_a_reason(number: str, client: Client) -> None:
    login(client, "dealer-a-user")
    response = client.post(page(number, "reject"), {"reason": ""})
    assert response.status_code == 400
    assert "A reason is required to reject an offer." in response.content.decode()
    response = client.post(page(number, "reject"), {"reason": "Outside our area"}, follow=True)
    assert "Rejected: the enquiry went back to the brand." in response.content.decode()
    assert client.get(page(number)).status_code == 404
    assert (
        Offer.objects.get(enquiry__number=number, partner__key="dealer-a").reason
        == "Outside our area"
    )


@pytest.mark.parametrize("username", ["dealer-b-user", "dealer-a-own", "other-user", "sales"])
def test_others_get_404_on_every_offer_page(number: str, client: Client, username: str) -> None:
    login(client, username)
    assert client.get(page(number)).status_code == 404
    for action in ("accept", "reject", "assign", "route"):
        assert client.post(page(number, action), {"reason": "x"}).status_code == 404


def test_brand_users_cannot_accept_or_reject(number: str, client: Client) -> None:
    login(client, "dispatcher")
    assert client.post(page(number, "accept")).status_code == 404
    assert client.post(page(number, "reject"), {"reason": "x"}).status_code == 404


def test_dispatcher_sees_the_offer_and_reassigns(number: str, client: Client, world: World) -> None:
    login(client, "dispatcher")
    html = client.get(page(number)).content.decode()
    assert "Offered to Dealer A" in html and "Assign" in html
    response = client.post(page(number, "assign"), {"target": "partner:dealer-b"}, follow=True)
    assert "Offered to Dealer B" in response.content.decode()
    response = client.post(page(number, "assign"), {}, follow=True)
    assert "Choose whom to assign it to" in response.content.decode()


def test_returned_tab_counts_returned_enquiries(number: str, client: Client) -> None:
    login(client, "dealer-a-user")
    client.post(page(number, "reject"), {"reason": "Too busy"})
    login(client, "dealer-b-user")
    client.post(page(number, "reject"), {"reason": "Too far"})
    login(client, "dispatcher")
    assert number in client.get("/enquiries/?tab=returned").content.decode()
    assert "Returned (1)" in client.get("/enquiries/counters/?tab=returned").content.decode()
    detail = client.get(page(number)).content.decode()
    assert "Rejected by dealer-b-user of Dealer B: Too far" in detail
    response = client.post(page(number, "route"), follow=True)
    assert "Result: dispatcher queue of Brand Windows." in response.content.decode()


def test_brand_follows_an_accepted_enquiry_read_only(number: str, client: Client) -> None:
    login(client, "dealer-a-user")
    client.post(page(number, "accept"))
    login(client, "dispatcher")
    html = client.get(page(number)).content.decode()
    assert "Dealer A accepted this enquiry" in html
    assert "Route again" not in html and "/assign/" not in html
    assert client.post(page(number, "route")).status_code == 404
