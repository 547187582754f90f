"""Calendly webhooks v2 (A3), pure: an `invitee.created` / `invitee.canceled` delivery ->
a Booking with its LeadData and appointment note. No database, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from leadhub.contacts.identifiers import IdentifierError, normalise_email, normalise_phone
from leadhub.intake.leaddata import Address, ContactData, FieldError, IntakeError, LeadData, Utm
from leadhub.intake.names import split_name
from leadhub.intake.payloads import field_error, json_object

CREATED = "invitee.created"
CANCELED = "invitee.canceled"
URI = r"^https://\S{1,300}$"


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Location(_In):
    type: str = ""
    location: str | None = None
    join_url: str | None = None


class _Event(_In):
    uri: str = Field(pattern=URI)
    name: str = ""
    start_time: AwareDatetime
    end_time: AwareDatetime | None = None
    location: _Location | None = None


class _Answer(_In):
    question: str = ""
    answer: str | None = None
    position: int = 0


class _Tracking(_In):
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_term: str | None = None
    utm_content: str | None = None


class _Cancellation(_In):
    canceled_by: str | None = None
    reason: str | None = None
    canceler_type: str | None = None


class _Invitee(_In):
    uri: str = Field(pattern=URI)
    email: str = Field(min_length=1, max_length=254)
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    text_reminder_number: str | None = None
    rescheduled: bool = False
    old_invitee: str | None = Field(None, pattern=URI)
    new_invitee: str | None = Field(None, pattern=URI)
    questions_and_answers: list[_Answer] = Field(default_factory=list)
    tracking: _Tracking = Field(default_factory=_Tracking)
    scheduled_event: _Event
    cancellation: _Cancellation | None = None
    created_at: AwareDatetime | None = None


class _Delivery(_In):
    event: str
    created_at: AwareDatetime | None = None
    payload: dict[str, Any]


@dataclass(frozen=True)
class Booking:
    event: str  # CREATED or CANCELED
    invitee: str  # the invitee's URI: Calendly's id of this booking
    old_invitee: str  # set on the new booking of a reschedule
    new_invitee: str  # set on the cancelled booking of a reschedule
    rescheduled: bool
    start: datetime
    note: str  # the appointment in words: when, where, what the invitee answered
    cancel_note: str  # who cancelled and why (empty unless cancelled)
    lead: LeadData


def parse(
    body: bytes, *, enquiry_type: str, default_country: str, time_zone: str
) -> Booking | None:
    """The booking, or None for an event this channel does not handle (e.g. no-shows)."""
    raw = json_object(body)
    try:
        delivery = _Delivery.model_validate(raw)
    except ValidationError as exc:
        raise IntakeError([field_error(e) for e in exc.errors()]) from exc
    if delivery.event not in (CREATED, CANCELED):
        return None
    try:
        invitee = _Invitee.model_validate(delivery.payload)
    except ValidationError as exc:
        raise IntakeError([field_error(e, "payload") for e in exc.errors()]) from exc
    note = appointment_note(invitee, ZoneInfo(time_zone))
    return Booking(
        event=delivery.event,
        invitee=invitee.uri,
        old_invitee=invitee.old_invitee or "",
        new_invitee=invitee.new_invitee or "",
        rescheduled=invitee.rescheduled,
        start=invitee.scheduled_event.start_time,
        note=note,
        cancel_note=_cancel_note(invitee.cancellation) if delivery.event == CANCELED else "",
        lead=LeadData(
            type=enquiry_type,
            contact=_contact(invitee, default_country),
            text=note,
            utm=Utm(
                source=(invitee.tracking.utm_source or "")[:200],
                medium=(invitee.tracking.utm_medium or "")[:200],
                campaign=(invitee.tracking.utm_campaign or "")[:200],
                term=(invitee.tracking.utm_term or "")[:200],
                content=(invitee.tracking.utm_content or "")[:200],
            ),
            external_id=invitee.uri,
            submitted_at=invitee.created_at or delivery.created_at,
            raw=raw,
        ),
    )


def _contact(invitee: _Invitee, default_country: str) -> ContactData:
    try:
        email = normalise_email(invitee.email)
    except IdentifierError as exc:
        raise IntakeError([FieldError("payload.email", str(exc))]) from exc
    first, last = (invitee.first_name or "").strip(), (invitee.last_name or "").strip()
    if not (first or last):
        first, last = split_name(invitee.name or "")
    if not last:
        last = email.split("@")[0]  # Calendly requires only the e-mail; a name is needed here
    phone = ""
    if invitee.text_reminder_number:
        try:
            phone = normalise_phone(invitee.text_reminder_number, default_country)
        except IdentifierError:
            phone = ""  # only for SMS reminders: the booking stands without it
    return ContactData(
        first_name=first[:100],
        last_name=last[:100],
        email=email,
        phone=phone,
        address=Address(country=default_country.upper()),
    )


def appointment_note(invitee: _Invitee, tz: ZoneInfo) -> str:
    event = invitee.scheduled_event
    start = event.start_time.astimezone(tz)
    when = f"{start:%Y-%m-%d %H:%M}"
    if event.end_time:
        when += f"-{event.end_time.astimezone(tz):%H:%M}"
    lines = [
        f"Appointment booked through Calendly: {event.name or 'event'}",
        f"When: {when} ({tz.key})",
    ]
    if where := _where(event.location):
        lines.append(f"Where: {where}")
    answers = sorted(invitee.questions_and_answers, key=lambda a: a.position)
    for a in answers:
        if a.answer and a.answer.strip():
            lines.append(f"{a.question.strip()}: {a.answer.strip()}")
    tracking = {k: v for k, v in invitee.tracking.model_dump().items() if v}
    if tracking:
        lines.append("Tracking: " + ", ".join(f"{k}={v}" for k, v in tracking.items()))
    if invitee.text_reminder_number:
        lines.append(f"Reminder number: {invitee.text_reminder_number}")
    return "\n".join(lines)


def _where(location: _Location | None) -> str:
    if location is None:
        return ""
    detail = location.location or location.join_url or ""
    kind = {
        "physical": "",
        "outbound_call": "we call the invitee",
        "inbound_call": "the invitee calls",
        "ask_invitee": "",
        "custom": "",
    }.get(location.type, location.type.replace("_", " "))
    return ", ".join(part for part in (kind, detail) if part)


def _cancel_note(c: _Cancellation | None) -> str:
    if c is None:
        return "Cancelled in Calendly."
    who = c.canceled_by or c.canceler_type or "someone"
    return f"Cancelled in Calendly by {who}" + (f": {c.reason}" if c.reason else ".")
