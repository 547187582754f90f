"""The enquiry page's pipeline buttons and forms."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from leadhub.enquiries.models import Enquiry
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import World, deliver, login, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def number(db: None, client: Client) -> str:
    build_handoff_world()
    body: dict[str, Any] = payload()
    body["contact"]["address"] = dict(TRENTO)
    number = str(deliver(client, body).json()["number"])
    login(client, "dealer-a-user")
    client.post(f"/enquiries/{number.replace('/', '-')}/accept/")
    return number


def page(number: str, action: str = "") -> str:
    return f"/enquiries/{number.replace('/', '-')}/" + (f"actions/{action}/" if action else "")


def test_buttons_follow_the_status(number: str, client: Client) -> None:
    html = client.get(page(number)).content.decode()
    assert "Start processing" in html and "Order placed" not in html
    client.post(page(number, "start"))
    html = client.get(page(number)).content.decode()
    assert "Quote delivered" in html and "Start processing</button>" not in html


def test_appointment_in_a_showroom_needs_a_date(number: str, client: Client, world: World) -> None:
    client.post(page(number, "start"))
    response = client.post(page(number, "appointment"), {"appointment-place": "site"}, follow=True)
    assert "Give a date and time, or choose an interval." in response.content.decode()
    when = (datetime.now(ZoneInfo("Europe/Rome")) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        page(number, "appointment"),
        {"appointment-at": when, "appointment-place": "site"},
        follow=True,
    )
    assert "Done: Set an appointment." in response.content.decode()
    assert Enquiry.objects.get(number=number).status == "appointment"


def test_close_with_a_reason_then_reopen(number: str, client: Client) -> None:
    client.post(page(number, "start"))
    client.post(page(number, "close"), {"close-reason": "ours|Outside our sales area"})
    e = Enquiry.objects.get(number=number)
    assert (e.status, e.close_reason_group, e.close_reason) == (
        "closed",
        "ours",
        "Outside our sales area",
    )
    html = client.get(page(number)).content.decode()
    assert "Outside our sales area" in html and "Reopen" in html
    client.post(page(number, "reopen"))
    assert Enquiry.objects.get(number=number).status == "processing"


def test_refused_action_shows_why(number: str, client: Client) -> None:
    response = client.post(page(number, "order"), follow=True)
    assert "is not possible while the enquiry is “New”" in response.content.decode()
    assert client.post(page(number, "fly")).status_code == 404


@pytest.mark.parametrize("username", ["dispatcher", "dealer-b-user", "other-user"])
def test_others_cannot_act(number: str, client: Client, username: str) -> None:
    login(client, username)
    assert client.post(page(number, "start")).status_code == 404
    assert Enquiry.objects.get(number=number).status == "new"


def test_brand_page_shows_no_amounts(number: str, client: Client) -> None:
    client.post(page(number, "start"))
    client.post(page(number, "deliver_quote"), {"deliver_quote-quote_amount": "18400.50"})
    assert "18,400.50" in client.get(page(number)).content.decode()  # grouped as in English
    login(client, "dispatcher")
    html = client.get(page(number)).content.decode()
    assert "18400" not in html and "18,400" not in html and "Quote delivered" in html


def test_list_shows_open_or_done(number: str, client: Client) -> None:
    assert number in client.get("/enquiries/").content.decode()
    assert number not in client.get("/enquiries/?done=1").content.decode()
    client.post(page(number, "close"), {"close-reason": "prospect|Bought elsewhere"})
    assert number not in client.get("/enquiries/").content.decode()
    assert number in client.get("/enquiries/?done=1").content.decode()
    api = client.get("/api/v1/enquiries?done=true").json()["items"]
    assert [i["number"] for i in api] == [number]


def test_notes_on_the_page(number: str, client: Client) -> None:
    client.post(
        f"/enquiries/{number.replace('/', '-')}/notes/", {"text": "Prefers calls after 18:00"}
    )
    html = client.get(page(number)).content.decode()
    assert "Prefers calls after 18:00" in html and "Edit" in html
    from leadhub.enquiries.models import HistoryEntry

    note = HistoryEntry.objects.get(kind="note")
    client.post(
        f"/enquiries/{number.replace('/', '-')}/notes/{note.pk}/", {"text": "Calls after 19:00"}
    )
    assert "Calls after 19:00" in client.get(page(number)).content.decode()
    login(client, "dispatcher")  # the brand reads the partner's notes, cannot change them
    html = client.get(page(number)).content.decode()
    assert "Calls after 19:00" in html and "Save note" not in html
    assert (
        client.post(f"/enquiries/{number.replace('/', '-')}/notes/{note.pk}/remove/").status_code
        == 404
    )


def test_project_data_on_the_page(number: str, client: Client) -> None:
    client.post(
        f"/enquiries/{number.replace('/', '-')}/project/",
        {
            "project_name": "Casa  Moretti",
            "project_type": "renovation",
            "site_street": "Via Druso 200",
            "site_postal_code": "39100",
            "site_city": "Bolzano",
            "site_country": "it",
        },
    )
    e = Enquiry.objects.get(number=number)
    assert (e.project_name, e.project_type, e.site_country) == ("Casa Moretti", "renovation", "IT")
    change = e.history.get(kind="project_changed").message
    assert change.startswith("Changed: project name, project type, site street")
    html = client.get(page(number)).content.decode()
    assert "Casa Moretti · Renovation" in html and "Via Druso 200" in html
    client.post(f"/enquiries/{number.replace('/', '-')}/project/", {"site_country": "Italy"})
    assert Enquiry.objects.get(number=number).site_country == "IT"  # refused, nothing changed
    login(client, "dealer-b-user")
    assert (
        client.post(
            f"/enquiries/{number.replace('/', '-')}/project/", {"project_name": "x"}
        ).status_code
        == 404
    )
