"""Working an enquiry through the API: statuses, due dates, refusals, amounts and access."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import World, api_token, deliver, payload

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


@pytest.fixture
def world(db: None) -> World:
    return build_handoff_world()


def url(number: str, action: str = "") -> str:
    return f"/api/v1/enquiries/{number.replace('/', '-')}" + (
        f"/actions/{action}" if action else ""
    )


def act(client: Client, auth: dict[str, str], number: str, action: str, **body: Any) -> Any:
    return client.post(url(number, action), body, content_type="application/json", headers=auth)


@pytest.fixture
def accepted(world: World, client: Client, time_machine: Any) -> tuple[str, dict[str, str]]:
    """An enquiry offered to Dealer A and accepted by it on Monday 23 Nov 2026, 09:00."""
    time_machine.move_to(datetime(2026, 11, 23, 9, 0, tzinfo=ROME), tick=False)
    body = payload()
    body["contact"]["address"] = dict(TRENTO)
    number = deliver(client, body).json()["number"]
    auth = api_token(client, "dealer-a-user")
    assert (
        client.post(
            f"/api/v1/enquiries/{number.replace('/', '-')}/accept", headers=auth
        ).status_code
        == 200
    )
    return number, auth


def test_quote_from_start_to_order(accepted: tuple[str, dict[str, str]], client: Client) -> None:
    number, auth = accepted
    start = act(client, auth, number, "start").json()
    assert start["status"] == "processing"
    # 24 working hours of Dealer A (8 a day): Mon 7 h, Tue 8, Wed 8, Thu 08:00-09:00 Rome.
    assert start["due_at"] == "2026-11-26T08:00:00Z"
    assert (
        "deliver_quote" in start["pipeline"]["actions"]
        and "reopen" not in start["pipeline"]["actions"]
    )
    at = datetime(2026, 11, 26, 10, 0, tzinfo=ROME).isoformat()
    appointment = act(client, auth, number, "appointment", at=at, place="site").json()
    assert (
        appointment["status"] == "appointment" and appointment["due_at"] == "2026-11-26T09:00:00Z"
    )
    assert appointment["pipeline"]["appointment_place"] == "site"
    quote = act(
        client, auth, number, "deliver_quote", quote_number="Q-77", quote_amount="18400.50"
    ).json()
    assert quote["status"] == "quote_delivered"
    assert quote["due_at"] == "2026-11-30T16:00:00Z"  # five working days: Mon 30 Nov, 17:00 Rome
    assert quote["values"]["quote_amount"] == "18400.50"
    order = act(client, auth, number, "order", order_number="O-9", order_amount=17900).json()
    assert order["status"] == "ordered" and order["due_at"] is None
    kinds = [h["kind"] for h in order["history"]][-4:]
    assert kinds == ["start", "appointment", "deliver_quote", "order"]
    assert (
        order["history"][-3]["message"]
        == "Appointment set for 26/11/2026 10:00: At the customer's site."
    )


def test_refusals_say_why(accepted: tuple[str, dict[str, str]], client: Client) -> None:
    number, auth = accepted
    response = act(client, auth, number, "order")
    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        "“Order placed” is not possible while the enquiry is “New”."
    )
    assert act(client, auth, number, "fly").status_code == 409
    assert act(client, auth, number, "appointment", place="site").status_code == 422  # no date
    past = (datetime.now(ROME) - timedelta(days=1)).isoformat()
    assert (
        "future" in act(client, auth, number, "appointment", at=past, place="site").json()["detail"]
    )
    assert act(client, auth, number, "appointment", in_days=7, place="showroom").status_code == 422
    assert (
        act(
            client, auth, number, "appointment", in_days=7, place="showroom", showroom="studio"
        ).status_code
        == 422
    )
    close = act(client, auth, number, "close", reason_group="prospect", reason="Because")
    assert close.status_code == 422 and "Bought elsewhere" in close.json()["detail"]
    act(client, auth, number, "start")
    assert act(client, auth, number, "deliver_quote", quote_amount="-5").status_code == 422


def test_close_and_reopen_by_the_last_handler(
    accepted: tuple[str, dict[str, str]], client: Client, world: World
) -> None:
    number, auth = accepted
    act(client, auth, number, "start")
    act(client, auth, number, "deliver_quote")
    closed = act(
        client, auth, number, "close", reason_group="prospect", reason="Bought elsewhere"
    ).json()
    assert closed["status"] == "closed" and closed["pipeline"]["close_reason"] == "Bought elsewhere"
    assert closed["pipeline"]["actions"] == ["reopen"]
    from leadhub.orgs.models import User

    User.objects.filter(username="dealer-a-own").update(roles=["sales", "admin"])
    colleague = api_token(client, "dealer-a-own")
    assert act(client, colleague, number, "reopen").status_code == 409
    reopened = act(client, auth, number, "reopen").json()
    assert reopened["status"] == "quote_delivered" and reopened["pipeline"]["close_reason"] == ""


def test_the_brand_never_sees_amounts_and_cannot_act(
    accepted: tuple[str, dict[str, str]], client: Client
) -> None:
    number, auth = accepted
    act(client, auth, number, "start")
    act(client, auth, number, "deliver_quote", quote_amount="18400.50", quote_number="Q-1")
    brand = api_token(client, "dispatcher")
    body = client.get(url(number), headers=brand).json()
    assert body["access"] == "origin" and body["values"] is None
    assert "18400" not in str(body)
    assert body["history"][-1]["kind"] == "deliver_quote"  # the brand follows the history
    assert body["pipeline"]["actions"] == []
    assert act(client, brand, number, "order").status_code == 403


@pytest.mark.parametrize("username", ["dealer-b-user", "other-user", "sales"])
def test_outsiders_get_404(
    accepted: tuple[str, dict[str, str]], client: Client, username: str
) -> None:
    number, _auth = accepted
    assert act(client, api_token(client, username), number, "start").status_code == 404


def test_relationship_enquiries(world: World, client: Client) -> None:
    number = deliver(client, payload(type="relationship")).json()["number"]
    auth = api_token(client, "dispatcher")
    assert act(client, auth, number, "deliver_quote").status_code == 409
    visited = act(client, auth, number, "visit_prescriber").json()
    assert (
        visited["status"] == "processing"
        and visited["history"][-1]["message"] == "Visit the prescriber."
    )
