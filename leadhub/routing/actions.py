"""Routing and hand-off (B1-B5, B8): every write is one transaction with its history entry.

Lock order, everywhere: an offer's deadline first, then the enquiry. User actions on an
offer cancel its deadline before they lock the enquiry; the sweeper claims deadlines and
then locks their enquiries. So sweepers and users never deadlock, and of an accept and an
expiry exactly one wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet

from leadhub.duplicates.models import Occasion
from leadhub.duplicates.pending import queue_check
from leadhub.enquiries.bulk import update_by_values
from leadhub.enquiries.history import record
from leadhub.enquiries.models import Enquiry, HistoryCategory, HistoryEntry, Status
from leadhub.feedback.outbox import note_status_changes
from leadhub.lib.workingtime import working_time_between
from leadhub.orgs.calendars import calendar_of
from leadhub.orgs.models import Organisation, OrgUnit, User
from leadhub.search import index as search_index
from leadhub.sla.models import Deadline
from leadhub.sla.sweeper import cancel, handles

from .models import Absence, Offer, OfferStatus
from .planner import (
    OFFER_EXPIRY,
    Routed,
    _Writes,
    assign,
    brand_of,
    due,
    offer,
    returned_entry,
    route_many,
)

__all__ = [
    "HandOffError",
    "Routed",
    "accept_offer",
    "add_absence",
    "assign_by_hand",
    "expire_offers",
    "reject_offer",
    "remove_absence",
    "route",
]


class HandOffError(Exception):
    """The action does not fit the enquiry's state now (HTTP 409); the message says why."""


def _locking(qs: QuerySet[Enquiry]) -> QuerySet[Enquiry]:
    # of=self: PostgreSQL cannot lock the nullable side of the channel's outer join.
    return qs.select_for_update(of=("self",)).select_related(
        "contact", "channel", "owner", "origin_brand"
    )


def _locked(enquiry: Enquiry) -> Enquiry:
    return _locking(Enquiry.objects.all()).get(pk=enquiry.pk)


@transaction.atomic
def route(enquiry: Enquiry, *, now: datetime, occasion: str, actor: User | None = None) -> Routed:
    """Apply the brand's first matching rule; falls back to the dispatcher queue."""
    enquiry = _locked(enquiry)
    if enquiry.status == Status.OFFERED:
        raise HandOffError("An offer is pending; it must be accepted, rejected or withdrawn first.")
    _brand_holds(enquiry)
    return route_many([enquiry], now=now, occasion=occasion, actor=actor)[0]


def _brand_holds(enquiry: Enquiry) -> None:
    if enquiry.owner_id != brand_of(enquiry).pk:
        raise HandOffError(
            f"{enquiry.owner.name} accepted this enquiry; only it decides who works it now."
        )


def pending_offer(enquiry: Enquiry) -> Offer | None:
    return (
        Offer.objects.filter(enquiry=enquiry, status=OfferStatus.PENDING)
        .select_related("partner", "deadline")
        .first()
    )


def _claim(offer: Offer, now: datetime) -> None:
    """Take the offer's deadline away from the sweeper: of a user's action and the expiry,
    exactly one wins. Called BEFORE the enquiry is locked."""
    if offer.deadline is not None and not cancel(offer.deadline, now):
        raise HandOffError(
            "The offer is no longer pending: it expired or was decided a moment ago."
        )


def reaction_seconds(offer: Offer, now: datetime) -> int:
    """How long the partner took to react, in its own working time (reports, decision 0040):
    stored once when the offer is decided, so reports never compute working time."""
    return int(
        working_time_between(offer.created_at, now, calendar_of(offer.partner)).total_seconds()
    )


def _decide(
    offer: Offer, *, status: OfferStatus, now: datetime, by: User | None, reason: str = ""
) -> None:
    updated = Offer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
        status=status,
        decided_at=now,
        decided_by=by,
        reason=reason,
        working_seconds=reaction_seconds(offer, now),
    )
    if updated != 1:
        raise HandOffError("The offer is no longer pending: it was decided a moment ago.")
    offer.status = status


def _claim_offer_for(enquiry: Enquiry, user: User, now: datetime) -> Offer:
    offer = pending_offer(enquiry)
    if offer is None or offer.partner_id != user.organisation_id:
        raise HandOffError("There is no pending offer of this enquiry to your organisation.")
    _claim(offer, now)
    return offer


@transaction.atomic
def accept_offer(enquiry: Enquiry, *, by: User, now: datetime) -> Enquiry:
    """The partner becomes owner and data controller; the accepting user works it."""
    offer = _claim_offer_for(enquiry, by, now)
    enquiry = _locked(enquiry)
    _decide(offer, status=OfferStatus.ACCEPTED, now=now, by=by)
    partner = offer.partner
    Enquiry.objects.filter(pk=enquiry.pk).update(
        owner=partner,
        assigned_user=by,
        assigned_unit=by.unit,
        status=Status.NEW,
        due_at=due(partner, now),
        returned_at=None,
        updated_at=now,
    )
    enquiry.owner, enquiry.status, enquiry.updated_at = partner, Status.NEW, now
    note_status_changes([enquiry])  # F5: the brand hears that the partner took it
    enquiry.contact.owner = partner
    enquiry.contact.save(update_fields=["owner"])
    record(
        enquiry,
        category=HistoryCategory.ASSIGNMENT,
        kind="offer_accepted",
        message=f"Accepted by {by.display_name()} of {partner.name}, who is now the owner and "
        f"controller of the personal data.",
        actor=by,
    )
    search_index.refresh([enquiry.pk])  # a new owner and responsible; the brand follows
    # D1 "accept → duplicate check", among the partner's own contacts (decision 0048).
    queue_check(enquiry, organisation=partner, occasion=Occasion.ACCEPT)
    enquiry.refresh_from_db()
    return enquiry


@transaction.atomic
def reject_offer(enquiry: Enquiry, *, by: User, reason: str, now: datetime) -> Routed:
    """Back to the brand with the reason; routing picks the next eligible partner."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A reason is required to reject an offer.")
    offer = _claim_offer_for(enquiry, by, now)
    enquiry = _locked(enquiry)
    _decide(offer, status=OfferStatus.REJECTED, now=now, by=by, reason=reason)
    message = f"Rejected by {by.display_name()} of {offer.partner.name}: {reason}"
    return _return_and_route([enquiry], [message], now=now, by=by)[0]


@handles(OFFER_EXPIRY)
def expire_offers(deadlines: Sequence[Deadline], now: datetime) -> dict[int, str]:
    """Sweeper handler, inside the transaction that claimed the deadlines: expire their
    offers, return the enquiries to their brands and route them on, all in one batch."""
    offers = {
        o.deadline_id: o
        for o in Offer.objects.filter(deadline__in=deadlines).select_related("partner")
    }
    live = [o for o in offers.values() if o.status == OfferStatus.PENDING]
    enquiries = {
        e.pk: e
        for e in _locking(
            Enquiry.objects.filter(pk__in=[o.enquiry_id for o in live]).order_by("pk")
        )
    }
    for each in live:
        each.status, each.decided_at = OfferStatus.EXPIRED, now
        each.working_seconds = reaction_seconds(each, now)
    Offer.objects.bulk_update(live, ["status", "decided_at", "working_seconds"])
    ordered = [enquiries[o.enquiry_id] for o in live]
    messages = [
        f"The offer to {o.partner.name} expired: no reaction within "
        f"{brand_of(enquiries[o.enquiry_id]).response_hours} working hours."
        for o in live
    ]
    routed = dict(
        zip(
            [o.pk for o in live],
            _return_and_route(ordered, messages, now=now, by=None),
            strict=True,
        )
    )
    outcomes = {}
    for d in deadlines:
        o = offers.get(d.pk)
        if o is None:
            outcomes[d.pk] = "no offer for this deadline"
        elif o.pk not in routed:
            outcomes[d.pk] = f"offer already {o.status}"
        else:
            outcomes[d.pk] = f"offer to {o.partner.key} expired; {routed[o.pk].description}"
    return outcomes


def _return_and_route(
    enquiries: Sequence[Enquiry], messages: Sequence[str], *, now: datetime, by: User | None
) -> list[Routed]:
    """The enquiries (locked) go back to their brands, marked returned, and are routed on."""
    for e in enquiries:
        e.owner, e.status, e.returned_at = brand_of(e), Status.NEW, now
    update_by_values(enquiries, ["owner", "status", "returned_at"])
    HistoryEntry.objects.bulk_create(
        [returned_entry(e, m, by) for e, m in zip(enquiries, messages, strict=True)], batch_size=500
    )
    return route_many(enquiries, now=now, occasion="after the offer came back")


@transaction.atomic
def assign_by_hand(
    enquiry: Enquiry,
    *,
    by: User,
    now: datetime,
    user: User | None = None,
    unit: OrgUnit | None = None,
    partner: Organisation | None = None,
) -> Routed:
    """A dispatcher's decision: to a user or unit of the brand, or an offer to a partner.
    A pending offer is withdrawn first."""
    if [user, unit, partner].count(None) != 2:
        raise ValueError("Name exactly one of a user, a unit or a partner.")
    pending = pending_offer(enquiry)
    if pending is not None:
        _claim(pending, now)
    enquiry = _locked(enquiry)
    _brand_holds(enquiry)
    if pending is not None:
        _decide(pending, status=OfferStatus.WITHDRAWN, now=now, by=by)
    writes = _Writes()
    if partner is not None:
        routed = offer(enquiry, partner, writes, now=now, rule_key="")
    else:
        routed = assign(enquiry, writes, now=now, brand=brand_of(enquiry), user=user, unit=unit)
    writes.save()
    Enquiry.objects.filter(pk=enquiry.pk).update(returned_at=None)
    withdrawn = f"Withdrew the offer to {pending.partner.name}. " if pending else ""
    record(
        enquiry,
        category=HistoryCategory.ASSIGNMENT,
        kind="assigned",
        message=f"{withdrawn}{routed.description[0].upper()}{routed.description[1:]} by {by.display_name()}.",
        actor=by,
        data={"kind": routed.kind, "target": routed.target},
        private_to=brand_of(enquiry),
    )
    return routed


@transaction.atomic
def add_absence(
    user: User,
    *,
    starts_on: date | None,
    ends_on: date | None,
    weekdays: Sequence[str],
    substitute: User | None,
) -> Absence:
    """B8: `user` is away; routing gives their enquiries to `substitute` meanwhile."""
    if substitute is not None and (
        substitute == user or substitute.organisation_id != user.organisation_id
    ):
        raise ValueError("The substitute must be a colleague of the same organisation.")
    if not (starts_on or ends_on or weekdays):
        raise ValueError("Give a date range, weekdays, or both.")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValueError("The end date is before the start date.")
    return Absence.objects.create(
        user=user,
        starts_on=starts_on,
        ends_on=ends_on,
        weekdays=list(weekdays),
        substitute=substitute,
    )


@transaction.atomic
def remove_absence(user: User, absence_id: int) -> bool:
    return Absence.objects.filter(pk=absence_id, user=user).delete()[0] > 0


@transaction.atomic
def withdraw_offer(enquiry: Enquiry, *, now: datetime, reason: str) -> Offer | None:
    """The brand takes its pending offer back (the prospect cancelled): the offer's deadline
    is cancelled BEFORE the caller locks the enquiry. None if no offer is pending any more."""
    offer = pending_offer(enquiry)
    if offer is None:
        return None
    try:
        _claim(offer, now)
        _decide(offer, status=OfferStatus.WITHDRAWN, now=now, by=None, reason=reason)
    except HandOffError:
        return None  # decided or expired a moment ago; the caller sees the new state
    record(
        enquiry,
        category=HistoryCategory.ASSIGNMENT,
        kind="offer_withdrawn",
        message=f"The offer to {offer.partner.name} was withdrawn: {reason}",
        organisation=brand_of(enquiry),
    )
    return offer
