"""Bulk actions (C6): all or nothing per enquiry, a result per row, only on your own."""

from __future__ import annotations

import pytest
from django.test import Client

from leadhub.enquiries.models import Enquiry
from leadhub.testing.world import World, api_token, deliver, login, payload

pytestmark = pytest.mark.django_db


def test_bulk_close_reports_each_row(world: World, client: Client) -> None:
    numbers = [deliver(client, payload()).json()["number"] for _ in range(3)]
    other = deliver(
        client, payload(), channel="other-web", token="other-channel-token-0002"
    ).json()["number"]
    auth = api_token(client, "dispatcher")
    client.post(
        f"/api/v1/enquiries/{numbers[2].replace('/', '-')}/actions/start",
        {},
        content_type="application/json",
        headers=auth,
    )
    client.post(
        f"/api/v1/enquiries/{numbers[2].replace('/', '-')}/actions/close",
        {"reason_group": "ours", "reason": "Duplicate enquiry"},
        content_type="application/json",
        headers=auth,
    )
    body = {
        "numbers": [*numbers, other],
        "action": "close",
        "reason_group": "prospect",
        "reason": "Bought elsewhere",
    }
    rows = client.post(
        "/api/v1/enquiries/bulk", body, content_type="application/json", headers=auth
    ).json()["results"]
    assert [(r["number"], r["ok"]) for r in rows] == [
        (numbers[0], True),
        (numbers[1], True),
        (numbers[2], False),
        (other, False),
    ]
    assert "not possible while the enquiry is “Closed”" in rows[2]["detail"]
    assert rows[3]["detail"] == "No such enquiry, or not yours to work."
    assert Enquiry.objects.get(number=other).status == "new"  # untouched
    assert Enquiry.objects.get(number=numbers[0]).close_reason == "Bought elsewhere"
    bad = client.post(
        "/api/v1/enquiries/bulk",
        {"numbers": numbers, "action": "order"},
        content_type="application/json",
        headers=auth,
    )
    assert bad.status_code == 422


def test_bulk_from_the_list_page(world: World, client: Client) -> None:
    numbers = [deliver(client, payload()).json()["number"] for _ in range(3)]
    login(client, "dispatcher")
    assert 'name="number"' in client.get("/enquiries/").content.decode()
    response = client.post("/enquiries/bulk/", {"number": numbers, "action": "start"}, follow=True)
    assert "Start processing: 3 done" in response.content.decode()
    assert set(Enquiry.objects.values_list("status", flat=True)) == {"processing"}
    response = client.post(
        "/enquiries/bulk/", {"number": numbers, "action": "close", "reason": "|"}, follow=True
    )
    assert response.content.decode().count("Choose a reason to close them.") == 1
    # Back to the list as the user left it; never to another site.
    back = client.post(
        "/enquiries/bulk/",
        {"number": numbers, "action": "hold", "next": "/enquiries/?tab=mine&type=quote"},
    )
    assert back["Location"] == "/enquiries/?tab=mine&type=quote"
    away = client.post(
        "/enquiries/bulk/", {"number": numbers, "action": "start", "next": "//evil.example/"}
    )
    assert away["Location"] == "/enquiries/"
