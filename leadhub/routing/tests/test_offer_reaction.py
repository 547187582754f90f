"""What reports need from each offer (decision 0040): its brand, the partner's reaction time
in working seconds (set by the deciding writer) and when the partner first worked it."""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.pipeline import ActionInput, perform
from leadhub.routing.models import Offer, OfferStatus
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import World, api_token, deliver, payload

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=ROME)


@pytest.fixture
def world(db: None) -> World:
    return build_handoff_world()


def offered(client: Client) -> Offer:
    body = payload()
    body["contact"]["address"] = dict(TRENTO)
    response = deliver(client, body)
    assert response.status_code == 201, response.content
    return Offer.objects.get(enquiry__number=response.json()["number"], status="pending")


def act(client: Client, offer: Offer, action: str, username: str, **data: str) -> int:
    number = offer.enquiry.number.replace("/", "-")
    return client.post(
        f"/api/v1/enquiries/{number}/{action}",
        data,
        headers=api_token(client, username),
        content_type="application/json",
    ).status_code


def test_offer_remembers_its_brand(world: World, client: Client, time_machine: Any) -> None:
    time_machine.move_to(MONDAY_9, tick=False)
    offer = offered(client)
    assert offer.brand == world.brand and offer.working_seconds is None


def test_accept_stores_working_seconds_and_first_action_marks_processed(
    world: World, client: Client, time_machine: Any
) -> None:
    time_machine.move_to(MONDAY_9, tick=False)
    offer = offered(client)
    # Dealer A works 08-12 and 13-17: 09-12 and 13-16 are six working hours.
    time_machine.move_to(datetime(2026, 11, 23, 16, 0, tzinfo=ROME), tick=False)
    assert act(client, offer, "accept", "dealer-a-user") == 200
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and offer.working_seconds == 6 * 3600
    assert offer.processed_at is None
    user = World.user("dealer-a-user")
    first = datetime(2026, 11, 24, 10, 0, tzinfo=ROME)
    enquiry = Enquiry.objects.get(pk=offer.enquiry_id)
    perform(enquiry, "start", by=user, now=first, data=ActionInput())
    offer.refresh_from_db()
    assert offer.processed_at == first
    # Later actions keep the first date.
    later = datetime(2026, 11, 25, 10, 0, tzinfo=ROME)
    perform(enquiry, "deliver_quote", by=user, now=later, data=ActionInput())
    offer.refresh_from_db()
    assert offer.processed_at == first


def test_reject_stores_working_seconds_over_the_evening(
    world: World, client: Client, time_machine: Any
) -> None:
    time_machine.move_to(MONDAY_9, tick=False)
    offer = offered(client)
    # Monday 09-12, 13-17 (7 h) and Tuesday 08-09 (1 h): the night is not counted.
    time_machine.move_to(datetime(2026, 11, 24, 9, 0, tzinfo=ROME), tick=False)
    assert act(client, offer, "reject", "dealer-a-user", reason="Too far away") == 200
    offer.refresh_from_db()
    assert offer.status == OfferStatus.REJECTED and offer.working_seconds == 8 * 3600
    assert offer.processed_at is None


def test_expiry_stores_the_whole_window(world: World, client: Client, time_machine: Any) -> None:
    time_machine.move_to(MONDAY_9, tick=False)
    offer = offered(client)
    call_command("sweep", "--at", offer.deadline_at.isoformat())
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED and offer.working_seconds == 48 * 3600


def test_migration_fills_offers_decided_before_it(
    world: World, client: Client, time_machine: Any
) -> None:
    time_machine.move_to(MONDAY_9, tick=False)
    offer = offered(client)
    time_machine.move_to(datetime(2026, 11, 23, 16, 0, tzinfo=ROME), tick=False)
    assert act(client, offer, "accept", "dealer-a-user") == 200
    enquiry = Enquiry.objects.get(pk=offer.enquiry_id)
    when = datetime(2026, 11, 24, 10, 0, tzinfo=ROME)
    time_machine.move_to(when, tick=False)  # history entries are dated by the clock
    perform(enquiry, "start", by=World.user("dealer-a-user"), now=when, data=ActionInput())
    Offer.objects.update(brand=None, working_seconds=None, processed_at=None)
    migration = importlib.import_module("leadhub.routing.migrations.0002_offer_reports")
    migration.fill(apps, None)
    offer.refresh_from_db()
    assert offer.brand == world.brand
    assert offer.working_seconds == 6 * 3600
    assert offer.processed_at == when
