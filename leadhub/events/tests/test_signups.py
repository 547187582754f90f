import pytest
from django.test import Client

from leadhub.enquiries.models import Enquiry
from leadhub.events.models import EventSignup
from leadhub.intake.models import RejectedDelivery
from leadhub.testing.world import BRAND_TOKEN, World, api_token, deliver, login, payload

from .helpers import EVENT_TOKEN, add_event_world, by_partner, by_unit, by_user, sign_up, signup

pytestmark = pytest.mark.django_db


def test_a_sign_up_goes_to_the_organising_user(world: World, client: Client) -> None:
    add_event_world()
    by_user()
    response = sign_up(client, signup(event="talk-user"))
    assert response.status_code == 201, response.content
    assert response.json()["routed_to"]["kind"] == "user"
    assert response.json()["routed_to"]["target"] == "sales"
    e = Enquiry.objects.select_related("assigned_user").get(number=response.json()["number"])
    assert e.assigned_user is not None and e.assigned_user.username == "sales"
    assert (e.type, e.owner) == ("event", world.brand)
    entry = e.history.get(kind="routed")
    assert "Sign-up for the event “Talk talk-user” (2 participant(s))" in entry.message
    assert e.event_signup.participant_name == "Arch. Giulia Ferri"
    detail = client.get(f"/api/v1/enquiries/{e.url_number}", headers=api_token(client, "sales"))
    assert detail.json()["event"]["key"] == "talk-user"
    assert detail.json()["event"]["participants"] == 2


def test_to_a_unit_and_to_a_partner(world: World, client: Client) -> None:
    add_event_world()
    by_unit()
    by_partner()
    unit = sign_up(client, signup(event="talk-unit")).json()
    assert (unit["routed_to"]["kind"], unit["routed_to"]["target"]) == ("unit", "studio")
    partner = sign_up(client, signup(event="talk-partner")).json()
    assert partner["routed_to"]["kind"] == "partner" and partner["status"] == "new"
    e = Enquiry.objects.select_related("contact").get(number=partner["number"])
    # Handed over (no offer to accept): dealer A owns it, the brand follows it.
    assert (e.owner, e.origin_brand, e.contact.owner) == (
        world.dealer_a,
        world.brand,
        world.dealer_a,
    )
    assert e.offers.count() == 0 and e.due_at is not None
    page = login(Client(), "dealer-a-user").get(f"/enquiries/{e.url_number}/")
    assert page.status_code == 200 and 'id="event"' in page.content.decode()
    brand = client.get(f"/api/v1/enquiries/{e.url_number}", headers=api_token(client, "dispatcher"))
    assert brand.json()["access"] == "origin"
    assert login(Client(), "dealer-b-user").get(f"/enquiries/{e.url_number}/").status_code == 404


def test_sign_ups_are_idempotent(world: World, client: Client) -> None:
    add_event_world()
    by_user()
    body = signup(event="talk-user", external_id="lp-1")
    first = sign_up(client, body)
    again = sign_up(client, body)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert EventSignup.objects.count() == 1 and Enquiry.objects.count() == 1


def test_a_full_event_puts_sign_ups_on_the_waiting_list(world: World, client: Client) -> None:
    add_event_world()
    by_partner(capacity=3)
    sign_up(client, signup(event="talk-partner"))  # 2 of 3 places
    sign_up(client, signup(event="talk-partner"))  # 2 more: too many
    assert list(EventSignup.objects.values_list("waitlisted", flat=True)) == [False, True]
    e = Enquiry.objects.order_by("id").last()
    assert e is not None and "waiting list" in e.history.get(kind="routed").message


def test_unknown_events_are_refused_and_kept(world: World, client: Client) -> None:
    add_event_world()
    response = sign_up(client, signup(event="no-such-talk"))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "event", "message": "'no-such-talk' is not an event of the brand"}
    ]
    assert Enquiry.objects.count() == 0
    assert RejectedDelivery.objects.get().channel.key == "events"


def test_tokens_open_only_their_own_endpoint(world: World, client: Client) -> None:
    add_event_world()
    by_user()
    # The webhook channel's token on the sign-up endpoint, and the other way round.
    assert (
        sign_up(client, signup(event="talk-user"), token=BRAND_TOKEN, channel="web").status_code
        == 401
    )
    assert deliver(client, payload(), channel="events", token=EVENT_TOKEN).status_code == 401
    assert (
        sign_up(client, signup(event="talk-user"), token="wrong-token-00000000").status_code == 401
    )
    assert Enquiry.objects.count() == RejectedDelivery.objects.count() == 0
