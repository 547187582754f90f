"""The pure parts of the Calendly channel: no database, no HTTP."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from leadhub.intake.channels.calendly.parse import CANCELED, CREATED, Booking, parse
from leadhub.intake.channels.calendly.signature import sign, signature_ok
from leadhub.intake.channels.registry import checked_settings
from leadhub.intake.leaddata import IntakeError

from .conftest import fixture

INVITEE_A = "https://api.calendly.com/scheduled_events/FKQWDTRZ3H5MNB2C/invitees/AXQ2KZ7LMNBV4C8D"
INVITEE_B = "https://api.calendly.com/scheduled_events/MPLKJH7TRE4WQ9ZX/invitees/RTZU8IOP3LKJ6HGF"


def booking(body: bytes | dict[str, Any], enquiry_type: str = "quote") -> Booking:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    parsed = parse(raw, enquiry_type=enquiry_type, default_country="IT", time_zone="Europe/Rome")
    assert parsed is not None
    return parsed


def test_a_booking_makes_a_lead_with_the_appointment_as_text() -> None:
    b = booking(fixture("invitee_created"))
    assert (b.event, b.invitee, b.old_invitee, b.new_invitee) == (CREATED, INVITEE_A, "", "")
    assert b.start == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    lead = b.lead
    assert lead.type == "quote" and lead.external_id == INVITEE_A
    c = lead.contact
    assert (c.first_name, c.last_name, c.email) == (
        "Anna Maria",
        "Gruber",
        "anna.gruber@example.com",
    )
    assert c.phone == "+393477654321" and c.address.country == "IT"
    assert lead.text == (
        "Appointment booked through Calendly: Window consultation in the showroom\n"
        "When: 2026-11-24 10:00-11:00 (Europe/Rome)\n"
        "Where: Showroom Bolzano, Via Galilei 10\n"
        "Postal code and town of the building: 39100 Bolzano\n"
        "What would you like to talk about?: Replace 8 windows and the front door, old house "
        "from 1965.\n"
        "Tracking: utm_source=newsletter, utm_medium=email, utm_campaign=autumn-showroom\n"
        "Reminder number: +39 347 765 4321"
    )
    assert (lead.utm.source, lead.utm.medium, lead.utm.campaign) == (
        "newsletter",
        "email",
        "autumn-showroom",
    )
    assert lead.submitted_at == datetime(2026, 11, 20, 17, 42, 11, 481920, tzinfo=UTC)
    assert lead.raw["payload"]["uri"] == INVITEE_A
    assert booking(fixture("invitee_created"), "appointment").lead.type == "appointment"


def test_a_cancellation_says_who_and_why() -> None:
    b = booking(fixture("invitee_canceled"))
    assert (b.event, b.invitee, b.rescheduled) == (CANCELED, INVITEE_A, False)
    assert b.cancel_note == "Cancelled in Calendly by Anna Maria Gruber: We found another supplier."


def test_a_reschedule_names_the_old_and_the_new_invitee() -> None:
    old = booking(fixture("reschedule_canceled"))
    new = booking(fixture("reschedule_created"))
    assert (old.event, old.rescheduled, old.new_invitee) == (CANCELED, True, INVITEE_B)
    assert (new.event, new.invitee, new.old_invitee) == (CREATED, INVITEE_B, INVITEE_A)
    assert "When: 2026-11-26 16:00-17:00 (Europe/Rome)" in new.note


def test_names_phone_and_location_variants() -> None:
    body = json.loads(fixture("invitee_created"))
    p = body["payload"]
    p |= {"first_name": "Anna", "last_name": "Gruber-Rossi", "text_reminder_number": "12"}
    p["scheduled_event"]["location"] = {"type": "outbound_call", "location": "+39 0471 123456"}
    b = booking(body)
    assert (b.lead.contact.first_name, b.lead.contact.last_name) == ("Anna", "Gruber-Rossi")
    assert b.lead.contact.phone == ""  # an unusable SMS number does not refuse the booking
    assert "Where: we call the invitee, +39 0471 123456" in b.note
    p |= {"first_name": None, "last_name": None, "name": ""}
    p["scheduled_event"]["location"] = {"type": "zoom", "join_url": "https://zoom.us/j/123"}
    b = booking(body)
    assert b.lead.contact.last_name == "anna.gruber"  # the e-mail's local part
    assert "Where: zoom, https://zoom.us/j/123" in b.note


def test_events_the_channel_does_not_handle_are_none() -> None:
    body = {"event": "invitee_no_show.created", "payload": {"invitee": INVITEE_A}}
    assert (
        parse(
            json.dumps(body).encode(), enquiry_type="quote", default_country="IT", time_zone="UTC"
        )
        is None
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.pop("payload"), "payload"),
        (lambda b: b["payload"].pop("uri"), "payload.uri"),
        (lambda b: b["payload"].update(uri="invitee-1"), "payload.uri"),
        (lambda b: b["payload"].update(email="not-an-address"), "payload.email"),
        (lambda b: b["payload"].pop("scheduled_event"), "payload.scheduled_event"),
        (
            lambda b: b["payload"]["scheduled_event"].update(start_time="2026-11-24T09:00:00"),
            "payload.scheduled_event.start_time",
        ),
    ],
)
def test_malformed_deliveries(change: Any, field: str) -> None:
    body = json.loads(fixture("invitee_created"))
    change(body)
    with pytest.raises(IntakeError) as info:
        booking(body)
    assert field in {e.field for e in info.value.errors}


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b"\xff"])
def test_unreadable_bodies(raw: bytes) -> None:
    with pytest.raises(IntakeError) as info:
        parse(raw, enquiry_type="quote", default_country="IT", time_zone="UTC")
    assert info.value.errors[0].field == "body"


def test_signature_with_its_timestamp_and_tolerance() -> None:
    body = fixture("invitee_created")
    header = sign(body, "key-1", at=1_795_000_000)

    def ok(
        h: str = header, *, now: float = 1_795_000_060, key: str = "key-1", b: bytes = body
    ) -> bool:
        return signature_ok(b, h, key, now=now, tolerance=180)

    assert ok()
    assert ok(now=1_795_000_180) and ok(now=1_794_999_820)  # the edges of the window
    assert not ok(now=1_795_000_181)  # too old: a replayed capture
    assert not ok(now=1_794_999_819)  # from the future
    assert not ok(key="key-2")
    assert not ok(b=body + b"\n")
    other_t = header.replace("t=1795000000", "t=1795000001")  # the time is signed too
    assert not ok(other_t)
    rotating = header + ",v1=" + "0" * 64  # any v1 that matches will do
    assert ok(rotating)
    for broken in ("", "t=abc,v1=00", header.split(",")[1], header.split(",")[0]):
        assert not ok(broken)


def test_settings_are_checked_when_the_network_file_is_loaded() -> None:
    stored = checked_settings("calendly", {"signing_key": "k" * 16})
    assert stored == {
        "signing_key": "k" * 16,
        "tolerance_seconds": 180,
        "type": "quote",
        "cancel_reason": "Appointment cancelled",
    }
    for wrong in ({}, {"signing_key": "short"}, {"signing_key": "k" * 16, "type": "pizza"}):
        with pytest.raises(ValidationError):
            checked_settings("calendly", wrong)
