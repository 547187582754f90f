"""Calendly bookings in the database: however `invitee.created` and `invitee.canceled`
arrive (late, twice, a reschedule's pair in either order), a booking ends as one enquiry,
live unless cancelled. See docs/decisions/0021-calendly-one-enquiry-per-booking.md.

Every invitee URI that belongs to an enquiry has a receipt with that URI as external_id
(the first booking, and each reschedule's new invitee); a cancellation is done once, by
its receipt's idempotency key "invitee.canceled <uri>".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from leadhub.enquiries.actions import receive_enquiry
from leadhub.enquiries.history import record
from leadhub.enquiries.models import Enquiry, HistoryCategory, Status
from leadhub.enquiries.numbers import allocate_number
from leadhub.enquiries.states import WORKABLE
from leadhub.feedback.outbox import note_status_changes
from leadhub.intake.ingest import complete, ingest
from leadhub.intake.models import Channel, IntakeReceipt
from leadhub.routing.actions import withdraw_offer

from .parse import CREATED, Booking


@dataclass(frozen=True)
class Answer:
    status: int  # 201 when this delivery made the enquiry, else 200
    body: dict[str, Any]
    replayed: bool = False


def handle(channel: Channel, booking: Booking, *, body_digest: str, cancel_reason: str) -> Answer:
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                # A channel's deliveries are handled one at a time (bookings are few): the
                # events of one booking racing each other could otherwise each miss the
                # other's receipt and make two enquiries.
                list(Channel.objects.select_for_update().filter(pk=channel.pk).values_list("pk"))
                if booking.event == CREATED:
                    return _created(channel, booking, body_digest)
                return _canceled(channel, booking, body_digest, cancel_reason)
        except IntegrityError:
            # SQLite does not lock rows: a concurrent delivery may still win a unique
            # receipt key; it has committed when ours fails, so the second pass sees it.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _created(channel: Channel, b: Booking, digest: str) -> Answer:
    if (earlier := _linked(channel, b.invitee)) is not None:
        return Answer(200, earlier.response, replayed=True)
    if b.old_invitee and (old := _linked(channel, b.old_invitee)) is not None:
        return _link(channel, old.enquiry, b, digest)
    delivery = ingest(channel, b.lead, idempotency_key=None, body_digest=digest)
    if b.old_invitee and not delivery.replayed and (made := _linked(channel, b.invitee)):
        # The booking this one replaces was never seen (its delivery is late or lost): its
        # URI joins this enquiry now, so that its own events, when they come, find it
        # instead of making a second enquiry.
        IntakeReceipt.objects.create(
            channel=channel,
            external_id=b.old_invitee,
            body_digest=digest,
            enquiry=made.enquiry,
            response=delivery.body,
        )
    return Answer(200 if delivery.replayed else 201, delivery.body, delivery.replayed)


def _canceled(channel: Channel, b: Booking, digest: str, reason: str) -> Answer:
    key = f"{b.event} {b.invitee}"
    done = IntakeReceipt.objects.filter(channel=channel, idempotency_key=key).first()
    if done is not None:
        return Answer(200, done.response, replayed=True)
    known = _linked(channel, b.invitee) or (b.new_invitee and _linked(channel, b.new_invitee))
    if not known:
        if b.rescheduled:
            # The booking was never seen, its successor not yet: keep it live, the new
            # invitee's delivery links to it through old_invitee.
            delivery = ingest(channel, b.lead, idempotency_key=key, body_digest=digest)
            return Answer(200 if delivery.replayed else 201, delivery.body, delivery.replayed)
        return _born_cancelled(channel, b, digest, key, reason)
    enquiry = known.enquiry
    now = timezone.now()
    if b.rescheduled:
        with transaction.atomic():
            record(
                enquiry,
                category=HistoryCategory.SYSTEM,
                kind="booking_moved",
                message="The appointment was rescheduled in Calendly; the new booking "
                "replaces this one.\n" + b.cancel_note,
                organisation=channel.brand,
                data={"channel": channel.key, "payload": b.lead.raw},
            )
            Enquiry.objects.filter(pk=enquiry.pk).update(updated_at=now)
            return _receipt(channel, enquiry, "rescheduled", digest, key=key, uri=b.invitee)
    with transaction.atomic():
        # Lock order (decision 0008): the offer's deadline before the enquiry.
        withdrawn = withdraw_offer(
            enquiry, now=now, reason="the prospect cancelled the appointment."
        )
        enquiry = Enquiry.objects.select_for_update(of=("self",)).get(pk=enquiry.pk)
        result = _close(enquiry, channel, b, now, reason, after_offer=withdrawn is not None)
        return _receipt(channel, enquiry, result, digest, key=key, uri=b.invitee)


def _born_cancelled(channel: Channel, b: Booking, digest: str, key: str, reason: str) -> Answer:
    """The cancellation came before (or instead of) the booking: the enquiry is made closed,
    so that the booking arriving late finds it and makes no live enquiry."""
    now = timezone.now()
    with transaction.atomic():
        number = allocate_number(now)  # inside: a rollback gives it back
        enquiry, _routed = receive_enquiry(b.lead, channel=channel, number=number, now=now)
        _close(enquiry, channel, b, now, reason, after_offer=False)
        answer = _receipt(channel, enquiry, "cancelled", digest, key=key, uri=b.invitee, new=True)
        complete(enquiry, b.lead)  # as intake: the duplicate check, the search document
        body = _body(enquiry, "cancelled")
        IntakeReceipt.objects.filter(channel=channel, idempotency_key=key).update(response=body)
    return Answer(201, body, answer.replayed)


def _close(
    enquiry: Enquiry, channel: Channel, b: Booking, now: datetime, reason: str, *, after_offer: bool
) -> str:
    status = Status.NEW if after_offer and enquiry.status == Status.OFFERED else enquiry.status
    if status not in WORKABLE:  # closed or ordered already, or with a partner's offer
        record(
            enquiry,
            category=HistoryCategory.SYSTEM,
            kind="booking_cancelled",
            message=b.cancel_note + " The enquiry stays as it is.",
            organisation=channel.brand,
            data={"channel": channel.key, "payload": b.lead.raw},
        )
        Enquiry.objects.filter(pk=enquiry.pk).update(updated_at=now)
        return "noted"
    enquiry.status, enquiry.last_active_status = Status.CLOSED, status
    enquiry.close_reason_group, enquiry.close_reason = "prospect", reason
    enquiry.closed_by, enquiry.due_at, enquiry.updated_at = None, None, now
    enquiry.save(
        update_fields=[
            "status",
            "last_active_status",
            "close_reason_group",
            "close_reason",
            "closed_by",
            "due_at",
            "updated_at",
        ]
    )
    note_status_changes([enquiry])  # F5: the brand's system hears of the cancellation
    record(
        enquiry,
        category=HistoryCategory.ACTION,
        kind="close",
        message=f"Closed (the prospect's reason): {reason}. {b.cancel_note}",
        organisation=channel.brand,
        data={
            "action": "close",
            "status": Status.CLOSED,
            "channel": channel.key,
            "payload": b.lead.raw,
        },
    )
    return "cancelled"


def _link(channel: Channel, enquiry: Enquiry, b: Booking, digest: str) -> Answer:
    """A reschedule's new booking joins the enquiry of the booking it replaces."""
    with transaction.atomic():
        record(
            enquiry,
            category=HistoryCategory.TEXT,
            kind="booking_rescheduled",
            message="New appointment (rescheduled in Calendly):\n" + b.note,
            organisation=channel.brand,
            data={"channel": channel.key, "payload": b.lead.raw},
        )
        Enquiry.objects.filter(pk=enquiry.pk).update(updated_at=timezone.now())
        return _receipt(channel, enquiry, "rescheduled", digest, uri=b.invitee)


def _receipt(
    channel: Channel,
    enquiry: Enquiry,
    result: str,
    digest: str,
    *,
    uri: str,
    key: str | None = None,
    new: bool = False,
) -> Answer:
    """The delivery's receipt; it also links `uri` to the enquiry unless linked already."""
    linked = not new and IntakeReceipt.objects.filter(channel=channel, external_id=uri).exists()
    enquiry.refresh_from_db(fields=["status", "number"])
    body = _body(enquiry, result)
    IntakeReceipt.objects.create(
        channel=channel,
        idempotency_key=key,
        external_id=None if linked else uri,
        body_digest=digest,
        enquiry=enquiry,
        response=body,
    )
    return Answer(200, body)


def _linked(channel: Channel, uri: str) -> IntakeReceipt | None:
    return (
        IntakeReceipt.objects.filter(channel=channel, external_id=uri)
        .select_related("enquiry")
        .first()
    )


def _body(enquiry: Enquiry, result: str) -> dict[str, Any]:
    return {
        "number": enquiry.number,
        "status": enquiry.status,
        "result": result,
        "url": f"{django_settings.BASE_URL}/enquiries/{enquiry.url_number}/",
    }
