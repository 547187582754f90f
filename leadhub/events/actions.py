"""Writes on events (A9): save an event, hand a sign-up to the organiser, participant links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from leadhub.enquiries.history import record
from leadhub.enquiries.models import Enquiry, HistoryCategory, Status
from leadhub.orgs.models import Organisation, OrgKind, OrgUnit, User
from leadhub.routing.planner import Routed, _Writes, assign, due

from .models import Event, EventSignup, ParticipantLink


class EventRefused(ValueError):
    """The event cannot be saved as given; the message says why."""


@dataclass(frozen=True)
class Organiser:
    user: User | None = None
    unit: OrgUnit | None = None
    partner: Organisation | None = None


def check_organiser(brand: Organisation, organiser: Organiser) -> None:
    chosen = [x for x in (organiser.user, organiser.unit, organiser.partner) if x is not None]
    if len(chosen) != 1:
        raise EventRefused("Choose one organiser: a user, a unit or a partner.")
    if organiser.user is not None and organiser.user.organisation_id != brand.pk:
        raise EventRefused("The organiser must be a user of the brand.")
    if organiser.unit is not None and organiser.unit.organisation_id != brand.pk:
        raise EventRefused("The organiser must be a unit of the brand.")
    p = organiser.partner
    if p is not None and (p.kind != OrgKind.PARTNER or not p.brands.filter(pk=brand.pk).exists()):
        raise EventRefused("The organiser must be a partner of the brand.")


@transaction.atomic
def save_event(
    event: Event | None,
    *,
    brand: Organisation,
    key: str,
    title: str,
    starts_at: datetime,
    place: str,
    organiser: Organiser,
    capacity: int | None,
) -> Event:
    check_organiser(brand, organiser)
    clash = Event.objects.filter(brand=brand, key=key)
    if event is not None:
        clash = clash.exclude(pk=event.pk)
    if clash.exists():
        raise EventRefused(f"The brand already has an event with the key {key!r}.")
    if event is None:
        event = Event(brand=brand, created_at=timezone.now())
    event.key, event.title, event.starts_at, event.place = key, title, starts_at, place
    event.organiser_user, event.organiser_unit = organiser.user, organiser.unit
    event.organiser_partner, event.capacity = organiser.partner, capacity
    event.save()
    return event


def place_signup(
    enquiry: Enquiry, event: Event, *, participants: int, participant_name: str
) -> Routed:
    """Inside the intake transaction, instead of the brand's rules: the sign-up goes to the
    event's organiser. A partner organiser receives it as its own (no offer to accept:
    it invited these guests), like an accepted offer."""
    now = enquiry.created_at
    booked = EventSignup.objects.filter(event=event, waitlisted=False).aggregate(
        n=Sum("participants")
    )["n"]
    full = event.capacity is not None and (booked or 0) + participants > event.capacity
    EventSignup.objects.create(
        event=event,
        enquiry=enquiry,
        participants=participants,
        participant_name=participant_name,
        waitlisted=full,
        created_at=now,
    )
    writes = _Writes()
    partner = event.organiser_partner
    if partner is not None:
        enquiry.owner, enquiry.status, enquiry.due_at = partner, Status.NEW, due(partner, now)
        enquiry.assigned_user = enquiry.assigned_unit = None
        enquiry.updated_at = now
        writes.enquiries.append(enquiry)
        enquiry.contact.owner = partner
        enquiry.contact.save(update_fields=["owner"])
        routed = Routed("partner", partner.key, f"handed to {partner.name}", "")
    else:
        routed = assign(
            enquiry,
            writes,
            now=now,
            brand=event.brand,
            user=event.organiser_user,
            unit=event.organiser_unit,
        )
    writes.save()
    waiting = " The event was full: the sign-up is on the waiting list." if full else ""
    explanation = (
        f"Sign-up for the event “{event.title}” ({participants} participant(s)): "
        f"{routed.description}, the event's organiser.{waiting}"
    )
    record(
        enquiry,
        category=HistoryCategory.ASSIGNMENT,
        kind="routed",
        message=explanation,
        organisation=event.brand,
        data={"event": event.key, "kind": routed.kind, "target": routed.target},
    )
    return Routed(routed.kind, routed.target, routed.description, explanation)


def create_link(event: Event, *, by: User, label: str) -> ParticipantLink:
    return ParticipantLink.objects.create(
        event=event, created_by=by, label=label.strip()[:200], created_at=timezone.now()
    )


def revoke_link(link: ParticipantLink) -> bool:
    return (
        ParticipantLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        == 1
    )
