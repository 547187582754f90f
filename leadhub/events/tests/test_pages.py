import io
import zipfile

import pytest
from django.test import Client

from leadhub.events.models import Event, ParticipantLink
from leadhub.testing.world import World, login

from .helpers import add_event_world, by_partner, by_user, sign_up, signup

pytestmark = pytest.mark.django_db


def test_brand_admins_create_and_change_events(world: World, client: Client) -> None:
    add_event_world()
    admin = login(Client(), "brand-admin")
    form = admin.get("/events/new/").content.decode()
    assert "Dealer A" in form and "Studio" in form and "Other Brand" not in form
    response = admin.post(
        "/events/new/",
        {
            "key": "open-day",
            "title": "Open day",
            "starts_at": "2026-12-05T10:00",
            "place": "Head office",
            "organiser": f"partner:{world.dealer_a.pk}",
            "capacity": "40",
        },
    )
    event = Event.objects.get(key="open-day")
    assert response.status_code == 302 and event.organiser_partner == world.dealer_a
    again = admin.post(
        "/events/new/",
        {
            "key": "open-day",
            "title": "x",
            "starts_at": "2026-12-05T10:00",
            "organiser": f"partner:{world.dealer_a.pk}",
        },
    )
    assert "already has an event" in again.content.decode()
    assert "Open day" in admin.get("/events/").content.decode()
    # Not for anyone else: sales users, partners; the other brand's admin has its own.
    for username in ("sales", "dealer-a-user"):
        assert login(Client(), username).get("/events/new/").status_code == 404
    for username in ("sales", "dealer-a-user", "other-user"):
        assert login(Client(), username).get(f"/events/{event.pk}/edit/").status_code == 404
    assert "Dealer A" not in login(Client(), "other-user").get("/events/new/").content.decode()
    assert login(Client(), "other-user").get(f"/events/{event.pk}/").status_code == 404
    assert Client().get("/events/").status_code == 302  # to the login page


def test_organisers_see_their_events_only(world: World, client: Client) -> None:
    add_event_world()
    mine, partners = by_user(), by_partner()
    sales = login(Client(), "sales")
    listing = sales.get("/events/").content.decode()
    assert mine.title in listing and partners.title not in listing
    assert sales.get(f"/events/{partners.pk}/").status_code == 404
    # A partner's admins manage the events it organises; its other users do not.
    assert login(Client(), "dealer-a-user").get(f"/events/{partners.pk}/").status_code == 404
    assert login(Client(), "dealer-b-user").get(f"/events/{partners.pk}/").status_code == 404


def test_the_participant_link_until_revoked(world: World, client: Client) -> None:
    add_event_world()
    event = by_user()
    sign_up(client, signup(event="talk-user"))
    sign_up(client, signup(event="talk-user", participants=1, participant_name=""))
    organiser = login(Client(), "sales")
    detail = organiser.get(f"/events/{event.pk}/").content.decode()
    assert "Studio Ferri Architetti" in detail
    assert login(Client(), "dispatcher").post(f"/events/{event.pk}/links/").status_code == 404
    response = organiser.post(f"/events/{event.pk}/links/", {"label": "the event agency"})
    assert response.status_code == 302
    link = ParticipantLink.objects.get()
    page = Client().get(f"/participants/{link.secret}/")
    text = page.content.decode()
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex"
    assert "Arch. Giulia Ferri" in text and "Arch. Giulia Ferri" in text
    assert "Studio Ferri Architetti" in text and "3 participants in all" in text
    assert "info@studioferri.example" not in text and "0471" not in text
    xlsx = Client().get(f"/participants/{link.secret}/list.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "Arch. Giulia Ferri" in strings and "Studio Ferri Architetti" in strings
    # Revoked: the link opens nothing any more; only who manages the event revokes.
    revoke = f"/events/{event.pk}/links/{link.pk}/revoke/"
    assert login(Client(), "other-user").post(revoke).status_code == 404
    assert organiser.post(revoke).status_code == 302
    assert Client().get(f"/participants/{link.secret}/").status_code == 404
    assert Client().get(f"/participants/{link.secret}/list.xlsx").status_code == 404
    assert Client().get("/participants/not-a-secret/").status_code == 404
