"""Routing many enquiries at once: read what the decisions need in a few queries, decide
each enquiry in memory, write the results in a few statements.

One enquiry (intake, a rejection, by hand) and a sweep of thousands of expired offers take
the same path, so they cannot drift apart; the batch is what makes the sweep fast.
Callers lock the enquiries first and call this inside their transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from typing import Any

from django.db.models import (
    prefetch_related_objects,
)
from django.utils import timezone

from leadhub.enquiries.bulk import update_by_values
from leadhub.enquiries.models import Enquiry, HistoryCategory, HistoryEntry, Status
from leadhub.enquiries.states import WORKABLE
from leadhub.feedback.outbox import note_status_changes
from leadhub.lib.inserts import insert
from leadhub.lib.workingtime import add_working_hours
from leadhub.orgs.calendars import calendar_of
from leadhub.orgs.models import Organisation, OrgUnit, User
from leadhub.sla.models import Deadline

from . import pool_read
from .absence import AbsenceSpec, stand_in
from .compiled import compiled_rules
from .match import Decision, Facts
from .models import Absence, Offer, OfferStatus
from .pools import Candidate, choose

FIRST_RESPONSE_HOURS = 24  # C2: the first step is owed within 24 working hours
OFFER_EXPIRY = "offer_expiry"
OPEN_STATUSES = sorted(WORKABLE)  # a partner's load: what it is still working on
REFUSALS = {
    OfferStatus.REJECTED.value: "rejected this enquiry",
    OfferStatus.EXPIRED.value: "let this enquiry expire",
}


@dataclass(frozen=True)
class Routed:
    kind: str  # "offer", "user", "unit" or "dispatcher"
    target: str  # partner key, username, unit key or brand key
    description: str
    explanation: str


def brand_of(enquiry: Enquiry) -> Organisation:
    return enquiry.origin_brand or enquiry.owner


def facts_of(enquiry: Enquiry, *, new: bool = False) -> Facts:
    c = enquiry.contact
    on_site = bool(enquiry.site_postal_code or enquiry.site_city)
    return Facts(
        type=enquiry.type,
        channel=enquiry.channel.key if enquiry.channel else "",
        country=(enquiry.site_country if on_site else c.country) or c.country,
        postal_code=enquiry.site_postal_code if on_site else c.postal_code,
        province=(enquiry.site_province if on_site else c.province) or "",
        language=enquiry.language or c.language,
        tags=frozenset()
        if new  # a new enquiry has no tags yet: no query
        else frozenset(
            t.name for t in enquiry.tags.all() if t.organisation_id == brand_of(enquiry).pk
        ),
    )


def due(org: Organisation, now: datetime) -> datetime:
    return add_working_hours(now, FIRST_RESPONSE_HOURS, calendar_of(org))


@dataclass
class _Context:
    """What the decisions of one batch need from the database, read once."""

    partners: dict[str, Organisation] = field(default_factory=dict)  # pool members
    partnered: set[tuple[int, int]] = field(default_factory=set)  # (partner, brand)
    load: dict[int, int] = field(default_factory=dict)
    refused: dict[tuple[int, int], str] = field(default_factory=dict)  # (enquiry, partner)
    last_offered: dict[tuple[str, int], datetime] = field(default_factory=dict)  # (rule, partner)
    users: dict[str, User] = field(default_factory=dict)
    units: dict[tuple[int, str], OrgUnit] = field(default_factory=dict)  # (brand, key)
    absences: dict[int, list[AbsenceSpec]] = field(default_factory=dict)

    @classmethod
    def read(
        cls, enquiries: Sequence[Enquiry], decisions: Sequence[Decision], *, new: bool = False
    ) -> _Context:
        ctx = cls()
        thens = [d.rule.then for d in decisions if d.rule]
        pool_keys = {k for t in thens for k in t.get("offer_to", ())}
        if pool_keys:
            pools = {
                d.rule.key: d.rule.then for d in decisions if d.rule and "offer_to" in d.rule.then
            }
            strategies = {t.get("strategy") or "round_robin" for t in pools.values()}
            brands = {brand_of(e).pk: brand_of(e) for e in enquiries}.values()
            # Not a set built per delivery: the brands' key sets, read only on a miss.
            together = chain.from_iterable(compiled_rules(b).offer_keys for b in brands)
            found = pool_read.members(pool_keys, together=together)
            for key, member in found.items():
                ctx.partners[key] = member.partner
                ctx.partnered.update((member.partner.pk, b) for b in member.brands)
            # Read only what the pools' strategies use: load for least loaded, weighted and
            # capacity caps; last offers for round robin; refusals unless all are brand new.
            figures = pool_read.figures(
                [m.partner for m in found.values()],
                load_of_all=bool(strategies & {"least_loaded", "weighted"}),
                round_robin=[
                    (rule, frozenset(then["offer_to"]))
                    for rule, then in pools.items()
                    if (then.get("strategy") or "round_robin") == "round_robin"
                ],
            )
            ctx.load, ctx.last_offered = figures.load, figures.last_offered
            if not new:
                ctx.refused = {
                    (e, p): s
                    for e, p, s in Offer.objects.filter(
                        enquiry__in=[e.pk for e in enquiries], status__in=list(REFUSALS)
                    ).values_list("enquiry_id", "partner_id", "status")
                }
        usernames = {t["assign_to_user"] for t in thens if "assign_to_user" in t}
        if usernames:
            ctx.users = {
                u.username: u for u in User.objects.filter(username__in=usernames, is_active=True)
            }
            for a in Absence.objects.all():
                ctx.absences.setdefault(a.user_id, []).append(
                    AbsenceSpec(a.starts_on, a.ends_on, tuple(a.weekdays), a.substitute_id)
                )
        unit_keys = {t["assign_to_unit"] for t in thens if "assign_to_unit" in t}
        if unit_keys:
            ctx.units = {
                (u.organisation_id, u.key): u for u in OrgUnit.objects.filter(key__in=unit_keys)
            }
        return ctx

    def candidates(
        self, enquiry: Enquiry, brand: Organisation, keys: Sequence[str], rule: str
    ) -> list[Candidate]:
        out = []
        for key in keys:
            p = self.partners.get(key)
            if p is None or (p.pk, brand.pk) not in self.partnered:
                out.append(Candidate(key, key, excluded=f"no longer a partner of {brand.name}"))
                continue
            out.append(
                Candidate(
                    key=p.key,
                    name=p.name,
                    open_enquiries=self.load.get(p.pk, 0),
                    capacity=p.capacity,
                    grade=p.grade,
                    last_offered_at=self.last_offered.get((rule, p.pk)),
                    excluded=REFUSALS.get(self.refused.get((enquiry.pk, p.pk), ""), ""),
                )
            )
        return out


@dataclass
class _Writes:
    """Everything a batch changes, written in a few statements at the end."""

    offers: list[tuple[Offer, Deadline]] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    enquiries: list[Enquiry] = field(default_factory=list)

    def save(self, new: Sequence[Enquiry] = ()) -> None:
        """`new`: enquiries not stored yet, inserted here with their routing (no UPDATE)."""
        insert(new)
        insert([d for _o, d in self.offers])  # each offer links its deadline on insert
        created = insert([o for o, _d in self.offers])
        if not new:
            update_by_values(
                self.enquiries,
                ["owner", "assigned_user", "assigned_unit", "status", "due_at", "updated_at"],
            )
        note_status_changes(self.enquiries)  # F5: in this transaction
        insert(self.history)
        if not new:  # who is responsible changed (new ones are indexed with their number)
            from leadhub.search.index import refresh

            refresh(e.pk for e in self.enquiries)
        if created:
            from leadhub.notifications.enqueue import enqueue_with_commit
            from leadhub.notifications.tasks import send_offer_emails

            ids = [o.pk for o in created]
            enqueue_with_commit(send_offer_emails, ids)


def route_many(
    enquiries: Sequence[Enquiry],
    *,
    now: datetime,
    occasion: str,
    actor: User | None = None,
    new: bool = False,
    history: Sequence[HistoryEntry] = (),
) -> list[Routed]:
    """Route each (locked) enquiry by its brand's first matching rule, in order.

    `new` (intake): the enquiries are not stored yet; they are inserted with the place
    routing gives them, so nobody else can see them before. `history`: entries written
    before the routing's own, in the same INSERT."""
    if not new:
        prefetch_related_objects(list(enquiries), "tags")
    decisions = [compiled_rules(brand_of(e)).decide(facts_of(e, new=new)) for e in enquiries]
    ctx = _Context.read(enquiries, decisions, new=new)
    writes = _Writes(history=list(history))
    results = []
    for enquiry, decision in zip(enquiries, decisions, strict=True):
        routed = _route_one(enquiry, decision, ctx, writes, now=now, occasion=occasion)
        writes.history.append(
            HistoryEntry(
                enquiry=enquiry,
                at=timezone.now(),
                category=HistoryCategory.ASSIGNMENT,
                kind="routed",
                message=routed.explanation,
                actor=actor,
                organisation=actor.organisation if actor else brand_of(enquiry),
                private_to=brand_of(enquiry),
                data={
                    "rule": decision.rule.key if decision.rule else None,
                    "target": routed.target,
                    "kind": routed.kind,
                },
            )
        )
        results.append(routed)
    writes.save(new=enquiries if new else ())
    return results


def _route_one(
    enquiry: Enquiry,
    decision: Decision,
    ctx: _Context,
    writes: _Writes,
    *,
    now: datetime,
    occasion: str,
) -> Routed:
    brand = brand_of(enquiry)
    lines = [f"Routed {occasion}: {decision.explain()}."]
    then: Mapping[str, Any] = decision.rule.then if decision.rule else {"dispatcher": True}
    routed: Routed | None = None
    if "offer_to" in then:
        assert decision.rule is not None
        rule = decision.rule.key
        choice = choose(
            ctx.candidates(enquiry, brand, then["offer_to"], rule), then.get("strategy")
        )
        lines += [f"Candidate {line}." for line in choice.considered]
        if choice.chosen is not None:
            partner = ctx.partners[choice.chosen.key]
            routed = offer(enquiry, partner, writes, now=now, rule_key=rule)
            # Later enquiries of this batch see this offer, as they would one by one.
            ctx.load[partner.pk] = ctx.load.get(partner.pk, 0) + 1
            ctx.last_offered[(rule, partner.pk)] = now
        else:
            lines.append("No partner of the pool is left.")
    elif "assign_to_user" in then:
        user = ctx.users.get(then["assign_to_user"])
        if user is None or user.organisation_id != brand.pk:
            lines.append(f"User {then['assign_to_user']} is no longer active.")
        else:
            present, skipped = stand_in(user.pk, timezone.localdate(now), ctx.absences)
            names = dict(
                User.objects.filter(pk__in=[*skipped, present or 0]).values_list("pk", "username")
            )
            lines += [f"{names[pk]} is absent today." for pk in skipped]
            if present is not None:
                stand = user if present == user.pk else User.objects.get(pk=present)
                routed = assign(enquiry, writes, now=now, brand=brand, user=stand)
            else:
                lines.append("Nobody is present to stand in.")
    elif "assign_to_unit" in then:
        unit = ctx.units.get((brand.pk, then["assign_to_unit"]))
        if unit is not None:
            routed = assign(enquiry, writes, now=now, brand=brand, unit=unit)
    if routed is None:
        routed = assign(enquiry, writes, now=now, brand=brand)
    lines.append(f"Result: {routed.description}.")
    return Routed(routed.kind, routed.target, routed.description, " ".join(lines))


def assign(
    enquiry: Enquiry,
    writes: _Writes,
    *,
    now: datetime,
    brand: Organisation,
    user: User | None = None,
    unit: OrgUnit | None = None,
) -> Routed:
    """Into the brand's hands: a user, a unit's queue, or (neither) the dispatcher queue."""
    enquiry.owner, enquiry.status, enquiry.due_at = brand, Status.NEW, due(brand, now)
    enquiry.assigned_user = user
    enquiry.assigned_unit = unit or (user.unit if user else None)
    enquiry.updated_at = now
    writes.enquiries.append(enquiry)
    if user is not None:
        return Routed("user", user.username, f"assigned to {user.display_name()}", "")
    if unit is not None:
        return Routed("unit", unit.key, f"queue of {unit.name}", "")
    return Routed("dispatcher", brand.key, f"dispatcher queue of {brand.name}", "")


def offer(
    enquiry: Enquiry, partner: Organisation, writes: _Writes, *, now: datetime, rule_key: str
) -> Routed:
    brand = brand_of(enquiry)
    deadline_at = add_working_hours(now, brand.response_hours, calendar_of(partner))
    deadline = Deadline(kind=OFFER_EXPIRY, enquiry=enquiry, due_at=deadline_at)
    offer = Offer(
        enquiry=enquiry,
        partner=partner,
        brand=brand,
        rule_key=rule_key,
        created_at=now,
        deadline_at=deadline_at,
        deadline=deadline,  # inserted first: the offer takes its key then
    )
    writes.offers.append((offer, deadline))
    enquiry.owner, enquiry.status, enquiry.due_at = brand, Status.OFFERED, deadline_at
    enquiry.assigned_user = enquiry.assigned_unit = None
    enquiry.updated_at = now
    writes.enquiries.append(enquiry)
    local = timezone.localtime(deadline_at).strftime("%d/%m/%Y %H:%M")
    return Routed(
        "offer",
        partner.key,
        f"offered to {partner.name}, who must accept or reject by {local} "
        f"({brand.response_hours} working hours of {partner.name})",
        "",
    )


def returned_entry(enquiry: Enquiry, message: str, by: User | None) -> HistoryEntry:
    brand = brand_of(enquiry)
    return HistoryEntry(
        enquiry=enquiry,
        at=timezone.now(),
        category=HistoryCategory.ASSIGNMENT,
        kind="offer_returned",
        message=message,
        actor=by,
        organisation=by.organisation if by else brand,
        private_to=brand,
    )
