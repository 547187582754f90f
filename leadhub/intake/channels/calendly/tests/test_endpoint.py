"""POST /api/v1/intake/{channel}/calendly with the test world."""

import json
import re
import time
from itertools import permutations
from typing import Any

import pytest
from django.test import Client

from leadhub.duplicates.models import PendingCheck
from leadhub.enquiries.models import Enquiry, Status
from leadhub.intake.models import IntakeReceipt, RejectedDelivery
from leadhub.routing.models import Offer, OfferStatus
from leadhub.testing.world import World, api_token

from .conftest import booking_world, fixture, post
from .test_parse import INVITEE_A, INVITEE_B

pytestmark = pytest.mark.django_db


def live() -> list[Enquiry]:
    return list(Enquiry.objects.exclude(status=Status.CLOSED))


def test_a_booking_makes_a_quote_enquiry(calendly_world: World, client: Client) -> None:
    response = post(client, "invitee_created")
    assert response.status_code == 201, response.content
    e = Enquiry.objects.select_related("contact").get(number=response.json()["number"])
    assert e.owner == calendly_world.brand and e.type == "quote" and e.status == Status.NEW
    assert e.external_id == INVITEE_A and e.text.startswith("Appointment booked through Calendly")
    assert (e.contact.last_name, e.contact.email) == ("Gruber", "anna.gruber@example.com")
    assert e.utm_campaign == "autumn-showroom"
    # The brand's dispatcher sees it; another brand does not.
    url = f"/api/v1/enquiries/{e.url_number}"
    assert client.get(url, headers=api_token(client, "dispatcher")).status_code == 200
    assert client.get(url, headers=api_token(client, "other-user")).status_code == 404


def test_repeats_change_nothing(calendly_world: World, client: Client) -> None:
    first = post(client, "invitee_created").json()
    again = post(client, "invitee_created")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first
    cancelled = post(client, "invitee_canceled").json()
    assert post(client, "invitee_canceled").json() == cancelled
    assert Enquiry.objects.count() == 1
    assert Enquiry.objects.get().history.filter(kind="close").count() == 1


def test_a_cancellation_closes_the_enquiry(calendly_world: World, client: Client) -> None:
    number = post(client, "invitee_created").json()["number"]
    response = post(client, "invitee_canceled")
    assert response.status_code == 200
    assert response.json()["result"] == "cancelled" and response.json()["number"] == number
    e = Enquiry.objects.get()
    assert e.status == Status.CLOSED and e.due_at is None and e.closed_by is None
    assert (e.close_reason_group, e.close_reason) == ("prospect", "Appointment cancelled")
    assert e.last_active_status == Status.NEW
    close = e.history.get(kind="close")
    assert close.message == (
        "Closed (the prospect's reason): Appointment cancelled. "
        "Cancelled in Calendly by Anna Maria Gruber: We found another supplier."
    )
    assert close.data["payload"]["event"] == "invitee.canceled"


def test_a_cancellation_before_its_booking_leaves_no_live_enquiry(
    calendly_world: World, client: Client
) -> None:
    first = post(client, "invitee_canceled")
    assert first.status_code == 201 and first.json()["status"] == "closed"
    late = post(client, "invitee_created")
    assert late.status_code == 200 and late.json()["number"] == first.json()["number"]
    (e,) = Enquiry.objects.all()
    assert e.status == Status.CLOSED and e.close_reason == "Appointment cancelled"
    assert re.fullmatch(r"\d{6}/\d{6}", e.number)  # it has its real number


@pytest.mark.parametrize("first", ["invitee_created", "invitee_canceled"])
def test_each_booking_queues_one_duplicate_check(
    calendly_world: World, client: Client, first: str
) -> None:
    """Also the enquiry a cancellation makes before its booking (not through ingest)."""
    post(client, first)
    post(client, "invitee_created")  # a late booking, or a repeat: no second check
    (e,) = Enquiry.objects.all()
    (queued,) = PendingCheck.objects.all()
    assert (queued.enquiry_id, queued.organisation_id, queued.occasion) == (
        e.pk,
        calendly_world.brand.pk,
        "intake",
    )


@pytest.mark.parametrize(
    "order",
    [
        *map(list, permutations(["invitee_created", "reschedule_canceled", "reschedule_created"])),
        ["reschedule_canceled", "reschedule_created"],  # the first booking never arrived
        ["reschedule_created", "reschedule_canceled"],
    ],
)
def test_a_reschedule_in_any_order_ends_as_one_live_enquiry(
    calendly_world: World, client: Client, order: list[str]
) -> None:
    numbers = set()
    for name in order:
        response = post(client, name)
        assert response.status_code in (200, 201), response.content
        numbers.add(response.json()["number"])
    (e,) = live()
    assert Enquiry.objects.count() == 1 and numbers == {e.number}
    linked = set(
        IntakeReceipt.objects.exclude(external_id=None).values_list("external_id", flat=True)
    )
    assert linked == {INVITEE_A, INVITEE_B}
    assert (
        "When: 2026-11-26 16:00-17:00" in e.text
        or e.history.filter(
            kind="booking_rescheduled", message__contains="When: 2026-11-26 16:00-17:00"
        ).exists()
    )
    # Cancelling the new booking now closes the one enquiry.
    cancel_new = json.loads(fixture("invitee_canceled"))
    cancel_new["payload"]["uri"] = INVITEE_B
    assert post(client, json.dumps(cancel_new).encode()).json()["result"] == "cancelled"
    assert live() == []


def test_cancelling_an_offered_booking_withdraws_the_offer(db: None, client: Client) -> None:
    booking_world(offer=True)
    assert post(client, "invitee_created").json()["status"] == "offered"
    offer = Offer.objects.select_related("deadline").get()
    assert post(client, "invitee_canceled").json()["status"] == "closed"
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN and offer.decided_by is None
    assert offer.deadline is not None
    offer.deadline.refresh_from_db()
    assert offer.deadline.cancelled_at is not None  # the sweeper will not expire it
    e = Enquiry.objects.get()
    assert e.status == Status.CLOSED and e.owner.key == "brand"
    assert list(
        e.history.filter(kind__in=["offer_withdrawn", "close"]).values_list("kind", flat=True)
    ) == [
        "offer_withdrawn",
        "close",
    ]


def test_a_cancellation_of_a_closed_enquiry_is_only_noted(
    calendly_world: World, client: Client
) -> None:
    post(client, "invitee_created")
    Enquiry.objects.update(status=Status.ORDERED)  # the customer ordered in the meantime
    response = post(client, "invitee_canceled")
    assert response.json()["result"] == "noted"
    e = Enquiry.objects.get()
    assert e.status == Status.ORDERED and e.history.filter(kind="booking_cancelled").exists()


def test_signature_problems_are_refused_and_nothing_kept(
    calendly_world: World, client: Client
) -> None:
    now = int(time.time())
    assert post(client, "invitee_created", key="another-signing-key-000").status_code == 401
    assert post(client, "invitee_created", at=now - 181).status_code == 401  # expired
    assert post(client, "invitee_created", at=now - 170).status_code == 201  # within 3 minutes
    unsigned = client.post(
        "/api/v1/intake/calendly/calendly",
        fixture("invitee_canceled"),
        content_type="application/json",
    )
    assert unsigned.status_code == 401
    assert post(client, "invitee_canceled", channel="web").status_code == 401  # not Calendly
    assert post(client, "invitee_canceled", channel="nope").status_code == 401
    assert Enquiry.objects.get().status == Status.NEW
    assert not RejectedDelivery.objects.exists()


def test_a_bad_payload_is_refused_and_kept(calendly_world: World, client: Client) -> None:
    body = json.loads(fixture("invitee_created"))
    body["payload"]["email"] = "nobody"
    response = post(client, json.dumps(body).encode())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "payload.email"
    assert post(client, b"{oops").status_code == 400
    bad, unreadable = RejectedDelivery.objects.order_by("id")
    assert bad.channel.key == "calendly" and '"nobody"' in bad.body
    assert unreadable.body == "{oops"
    assert not Enquiry.objects.exists()


def test_other_events_are_acknowledged_and_ignored(calendly_world: World, client: Client) -> None:
    body = json.dumps({"event": "invitee_no_show.created", "payload": {"invitee": INVITEE_A}})
    response = post(client, body.encode())
    assert response.status_code == 200 and response.json()["result"] == "ignored"
    assert not Enquiry.objects.exists() and not RejectedDelivery.objects.exists()


def test_an_oversized_body_is_refused(calendly_world: World, client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.loads(fixture("invitee_created"))
    body["payload"]["questions_and_answers"][0]["answer"] = "x" * 20_000
    assert post(client, json.dumps(body).encode()).status_code == 400
    assert not Enquiry.objects.exists()
