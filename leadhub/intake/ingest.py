"""Idempotent intake: one delivery, however often it is repeated, makes one enquiry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from leadhub.catalogue.lines import add_item_lines
from leadhub.duplicates.models import Occasion
from leadhub.duplicates.pending import queue_check
from leadhub.enquiries.actions import receive_enquiry, receive_unrouted
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.numbers import allocate_number
from leadhub.lib.inserts import insert
from leadhub.routing.planner import Routed
from leadhub.search.index import refresh

from .leaddata import LeadData
from .models import Channel, IntakeReceipt


@dataclass(frozen=True)
class Delivery:
    body: dict[str, Any]
    replayed: bool


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before for a different body."""


def ingest(
    channel: Channel,
    lead: LeadData,
    *,
    idempotency_key: str | None,
    body_digest: str,
    place: Callable[[Enquiry], Routed] | None = None,
) -> Delivery:
    key = idempotency_key or None
    external_id = lead.external_id or None
    # A repeat answers at once, and spends no number.
    if _seen(channel, key, external_id):
        earlier = _receipt(channel, key, external_id)
        if earlier is not None:
            return _replay(earlier, key, body_digest)
    now = timezone.now()
    # Before the transaction: the day's counter row is locked for this one statement only.
    number = allocate_number(now)
    try:
        with transaction.atomic():
            if place is None:
                enquiry, routed = receive_enquiry(lead, channel=channel, number=number, now=now)
            else:  # the channel places it itself (event sign-ups go to the organiser)
                enquiry = receive_unrouted(lead, channel=channel, number=number, now=now)
                routed = place(enquiry)
            complete(enquiry, lead)
            body = _answer(enquiry, routed)
            # A concurrent repeat of this delivery fails here on the receipt's unique keys
            # once the first commits (its number stays unused: decision 0051).
            insert(
                [
                    IntakeReceipt(
                        channel=channel,
                        idempotency_key=key,
                        external_id=external_id,
                        body_digest=body_digest,
                        enquiry=enquiry,
                        response=body,
                    )
                ]
            )
    except IntegrityError:
        # A concurrent delivery of the same key won and has committed by now: everything
        # above rolled back, answer with what the first one answered.
        earlier = _receipt(channel, key, external_id)
        if earlier is None:
            raise
        return _replay(earlier, key, body_digest)
    return Delivery(body=body, replayed=False)


def complete(enquiry: Enquiry, lead: LeadData) -> None:
    """What every enquiry a channel delivers gets in the transaction that takes it in,
    also one a channel makes itself (Calendly's booking cancelled before it arrived)."""
    add_item_lines(enquiry, lead.items)  # A8; no statement without items
    # D1: one INSERT; the worker checks (decision 0048).
    queue_check(enquiry, organisation=enquiry.owner, occasion=Occasion.INTAKE)
    refresh([enquiry.pk])  # complete now: it enters the search (decision 0049)


def _seen(channel: Channel, key: str | None, external_id: str | None) -> bool:
    """Whether a receipt of this key or external id exists: asked of every delivery, so
    in plain SQL (the ORM's OR query cost more to build than to run)."""
    if not key and not external_id:
        return False
    table = connection.ops.quote_name(IntakeReceipt._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE channel_id = %s "
            "AND (idempotency_key = %s OR external_id = %s) LIMIT 1",
            [channel.pk, key, external_id],
        )
        return cursor.fetchone() is not None


def _receipt(channel: Channel, key: str | None, external_id: str | None) -> IntakeReceipt | None:
    match = Q()
    if key:
        match |= Q(idempotency_key=key)
    if external_id:
        match |= Q(external_id=external_id)
    if not match:
        return None
    return IntakeReceipt.objects.filter(match, channel=channel).order_by("id").first()


def _replay(receipt: IntakeReceipt, key: str | None, body_digest: str) -> Delivery:
    if key and receipt.idempotency_key == key and receipt.body_digest != body_digest:
        raise IdempotencyConflict(key)
    return Delivery(body=receipt.response, replayed=True)


def _answer(enquiry: Enquiry, routed: Routed) -> dict[str, Any]:
    return {
        "number": enquiry.number,
        "status": "offered" if routed.kind == "offer" else "new",
        "routed_to": {
            "kind": routed.kind,
            "target": routed.target,
            "description": routed.description,
        },
        "url": f"{settings.BASE_URL}/enquiries/{enquiry.url_number}/",
    }
