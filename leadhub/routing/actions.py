"""Routing and hand-off (B1-B5, B8): every write is one transaction with its history entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from leadhub.enquiries.history import record
from leadhub.enquiries.models import Enquiry, HistoryCategory, Status
from leadhub.lib.workingtime import add_working_hours
from leadhub.orgs.calendars import calendar_of
from leadhub.orgs.models import Organisation, OrgUnit, User
from leadhub.sla.models import Deadline
from leadhub.sla.sweeper import cancel, handles

from .absence import AbsenceSpec, stand_in
from .candidates import candidates_for
from .compiled import compiled_rules
from .match import Facts
from .models import Absence, Offer, OfferStatus
from .pools import choose

FIRST_RESPONSE_HOURS = 24  # C2: the first step is owed within 24 working hours
OFFER_EXPIRY = "offer_expiry"


class HandOffError(Exception):
    """The action does not fit the enquiry's state now (HTTP 409); the message says why."""


@dataclass(frozen=True)
class Routed:
    kind: str  # "offer", "user", "unit" or "dispatcher"
    target: str  # partner key, username, unit key or brand key
    description: str
    explanation: str


def facts_of(enquiry: Enquiry) -> Facts:
    c = enquiry.contact
    on_site = bool(enquiry.site_postal_code or enquiry.site_city)
    return Facts(
        type=enquiry.type,
        channel=enquiry.channel.key if enquiry.channel else "",
        country=(enquiry.site_country if on_site else c.country) or c.country,
        postal_code=enquiry.site_postal_code if on_site else c.postal_code,
        province=(enquiry.site_province if on_site else c.province) or "",
        language=enquiry.language or c.language,
    )


def brand_of(enquiry: Enquiry) -> Organisation:
    return enquiry.origin_brand or enquiry.owner


def _locked(enquiry: Enquiry) -> Enquiry:
    return (
        # of=self: PostgreSQL cannot lock the nullable side of the channel's outer join.
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("contact", "channel")
        .get(pk=enquiry.pk)
    )


def _due(org: Organisation, now: datetime) -> datetime:
    return add_working_hours(now, FIRST_RESPONSE_HOURS, calendar_of(org))


@transaction.atomic
def route(enquiry: Enquiry, *, now: datetime, occasion: str, actor: User | None = None) -> Routed:
    """Apply the brand's first matching rule; falls back to the dispatcher queue."""
    enquiry = _locked(enquiry)
    if enquiry.status == Status.OFFERED:
        raise HandOffError("An offer is pending; it must be accepted, rejected or withdrawn first.")
    brand = brand_of(enquiry)
    decision = compiled_rules(brand).decide(facts_of(enquiry))
    lines = [f"Routed {occasion}: {decision.explain()}."]
    then: Mapping[str, Any] = decision.rule.then if decision.rule else {"dispatcher": True}
    routed: Routed | None = None
    if "offer_to" in then:
        assert decision.rule is not None
        choice = choose(
            candidates_for(enquiry, brand, then["offer_to"], decision.rule.key),
            then.get("strategy"),
        )
        lines += [f"Candidate {line}." for line in choice.considered]
        if choice.chosen is not None:
            partner = Organisation.objects.get(key=choice.chosen.key)
            routed = _offer(enquiry, partner, now=now, rule_key=decision.rule.key)
        else:
            lines.append("No partner of the pool is left.")
    elif "assign_to_user" in then:
        user = User.objects.filter(
            username=then["assign_to_user"], organisation=brand, is_active=True
        ).first()
        if user is None:
            lines.append(f"User {then['assign_to_user']} is no longer active.")
        else:
            present, skipped = stand_in(user.pk, timezone.localdate(now), _absences())
            names = dict(
                User.objects.filter(pk__in=[*skipped, present or 0]).values_list("pk", "username")
            )
            lines += [f"{names[pk]} is absent today." for pk in skipped]
            if present is not None:
                routed = _assign_user(enquiry, User.objects.get(pk=present), now=now, brand=brand)
            else:
                lines.append("Nobody is present to stand in.")
    elif "assign_to_unit" in then:
        unit = OrgUnit.objects.get(organisation=brand, key=then["assign_to_unit"])
        routed = _assign_unit(enquiry, unit, now=now, brand=brand)
    if routed is None:
        routed = _dispatcher(enquiry, brand, now=now)
    lines.append(f"Result: {routed.description}.")
    explanation = " ".join(lines)
    record(
        enquiry,
        category=HistoryCategory.ASSIGNMENT,
        kind="routed",
        message=explanation,
        actor=actor,
        organisation=brand if actor is None else None,
        data={
            "rule": decision.rule.key if decision.rule else None,
            "target": routed.target,
            "kind": routed.kind,
        },
    )
    return Routed(routed.kind, routed.target, routed.description, explanation)


def _absences() -> dict[int, list[AbsenceSpec]]:
    out: dict[int, list[AbsenceSpec]] = {}
    for a in Absence.objects.all():
        out.setdefault(a.user_id, []).append(
            AbsenceSpec(a.starts_on, a.ends_on, tuple(a.weekdays), a.substitute_id)
        )
    return out


def _dispatcher(enquiry: Enquiry, brand: Organisation, *, now: datetime) -> Routed:
    _set(
        enquiry,
        owner=brand,
        assigned_user=None,
        assigned_unit=None,
        status=Status.NEW,
        due_at=_due(brand, now),
    )
    return Routed("dispatcher", brand.key, f"dispatcher queue of {brand.name}", "")


def _assign_user(enquiry: Enquiry, user: User, *, now: datetime, brand: Organisation) -> Routed:
    _set(
        enquiry,
        owner=brand,
        assigned_user=user,
        assigned_unit=user.unit,
        status=Status.NEW,
        due_at=_due(brand, now),
    )
    return Routed("user", user.username, f"assigned to {user.display_name()}", "")


def _assign_unit(enquiry: Enquiry, unit: OrgUnit, *, now: datetime, brand: Organisation) -> Routed:
    _set(
        enquiry,
        owner=brand,
        assigned_user=None,
        assigned_unit=unit,
        status=Status.NEW,
        due_at=_due(brand, now),
    )
    return Routed("unit", unit.key, f"queue of {unit.name}", "")


def _set(enquiry: Enquiry, **values: object) -> None:
    for name, value in values.items():
        setattr(enquiry, name, value)
    enquiry.updated_at = timezone.now()
    enquiry.save(update_fields=[*values, "updated_at"])


def _offer(enquiry: Enquiry, partner: Organisation, *, now: datetime, rule_key: str) -> Routed:
    brand = brand_of(enquiry)
    deadline_at = add_working_hours(now, brand.response_hours, calendar_of(partner))
    deadline = Deadline.objects.create(kind=OFFER_EXPIRY, enquiry=enquiry, due_at=deadline_at)
    offer = Offer.objects.create(
        enquiry=enquiry,
        partner=partner,
        rule_key=rule_key,
        created_at=now,
        deadline_at=deadline_at,
        deadline=deadline,
    )
    _set(
        enquiry,
        owner=brand,
        assigned_user=None,
        assigned_unit=None,
        status=Status.OFFERED,
        due_at=deadline_at,
    )
    from leadhub.notifications.tasks import send_offer_email

    transaction.on_commit(lambda: send_offer_email.enqueue(offer.pk))
    local = timezone.localtime(deadline_at).strftime("%d/%m/%Y %H:%M")
    return Routed(
        "offer",
        partner.key,
        f"offered to {partner.name}, who must accept or reject by {local} "
        f"({brand.response_hours} working hours of {partner.name})",
        "",
    )


def pending_offer(enquiry: Enquiry) -> Offer | None:
    return (
        Offer.objects.filter(enquiry=enquiry, status=OfferStatus.PENDING)
        .select_related("partner", "deadline")
        .first()
    )


def _claim(offer: Offer, now: datetime) -> None:
    """Take the offer's deadline away from the sweeper: of a user's action and the expiry,
    exactly one wins. Called BEFORE the enquiry is locked (lock order: deadline, enquiry)."""
    if offer.deadline is not None and not cancel(offer.deadline, now):
        raise HandOffError(
            "The offer is no longer pending: it expired or was decided a moment ago."
        )


def _decide(
    offer: Offer, *, status: OfferStatus, now: datetime, by: User | None, reason: str = ""
) -> None:
    updated = Offer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
        status=status, decided_at=now, decided_by=by, reason=reason
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
    _set(
        enquiry,
        owner=partner,
        assigned_user=by,
        assigned_unit=by.unit,
        status=Status.NEW,
        due_at=_due(partner, now),
        returned_at=None,
    )
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
    return _returned(
        enquiry, now, f"Rejected by {by.display_name()} of {offer.partner.name}: {reason}", by
    )


@handles(OFFER_EXPIRY)
def expire_offer(deadline: Deadline, now: datetime) -> str:
    """Sweeper handler, inside the transaction that claimed the deadline."""
    offer = Offer.objects.select_related("partner", "enquiry").get(deadline=deadline)
    if offer.status != OfferStatus.PENDING:
        return f"offer already {offer.status}"
    enquiry = _locked(offer.enquiry)  # the deadline is ours already: the sweeper claimed it
    _decide(offer, status=OfferStatus.EXPIRED, now=now, by=None)
    brand = brand_of(enquiry)
    routed = _returned(
        enquiry,
        now,
        f"The offer to {offer.partner.name} expired: no reaction within {brand.response_hours} working hours.",
        None,
    )
    return f"offer to {offer.partner.key} expired; {routed.description}"


def _returned(enquiry: Enquiry, now: datetime, message: str, by: User | None) -> Routed:
    brand = brand_of(enquiry)
    _set(enquiry, owner=brand, status=Status.NEW, returned_at=now)
    record(
        enquiry,
        category=HistoryCategory.ASSIGNMENT,
        kind="offer_returned",
        message=message,
        actor=by,
        organisation=brand if by is None else None,
    )
    return route(enquiry, now=now, occasion="after the offer came back")


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
    offer = pending_offer(enquiry)
    if offer is not None:
        _claim(offer, now)
    enquiry = _locked(enquiry)
    brand = brand_of(enquiry)
    if offer is not None:
        _decide(offer, status=OfferStatus.WITHDRAWN, now=now, by=by)
    if user is not None:
        routed = _assign_user(enquiry, user, now=now, brand=brand)
    elif unit is not None:
        routed = _assign_unit(enquiry, unit, now=now, brand=brand)
    else:
        assert partner is not None
        routed = _offer(enquiry, partner, now=now, rule_key="")
    _set(enquiry, returned_at=None)
    withdrawn = f"Withdrew the offer to {offer.partner.name}. " if offer else ""
    record(
        enquiry,
        category=HistoryCategory.ASSIGNMENT,
        kind="assigned",
        message=f"{withdrawn}{routed.description[0].upper()}{routed.description[1:]} by {by.display_name()}.",
        actor=by,
        data={"kind": routed.kind, "target": routed.target},
    )
    return routed
