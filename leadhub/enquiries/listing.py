"""The list's filters (E1), one set for the page and the API.

Every filter narrows `visible_enquiries(user)`; none widens it, so access stays where
queries.py puts it. Values come from URLs: unknown ones are refused by `ListFilters.check`
(the API answers 400 with its message; the page ignores them).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F, Q, QuerySet

from leadhub.contacts.models import ContactKind
from leadhub.lib.sql import LiteralIn
from leadhub.orgs.models import User

from .models import Enquiry, EnquiryType, Status
from .queries import enquiries_in, visible_parts
from .reading import unread, with_read_at
from .states import CLOSED


class BadFilter(ValueError):
    pass


DUE_CHOICES = ("overdue", "today", "week", "none")


@dataclass(frozen=True)
class ListFilters:
    done: bool | None = False  # True: ordered or closed; False: open; None: both
    mine: bool = False
    unread: bool = False
    queue: bool = False  # ours, nobody responsible yet
    returned: bool = False  # an offer came back
    contact_kind: str = ""
    type: str = ""
    status: str = ""
    responsible: str = ""  # "me", "none", a user id, or "unit-<id>"
    due: str = ""  # one of DUE_CHOICES
    tag: str = ""

    def check(self) -> None:
        """Refuse values that name nothing (rather than silently listing everything)."""
        for name, allowed in (
            ("contact_kind", ContactKind.values),
            ("type", EnquiryType.values),
            ("status", Status.values),
            ("due", DUE_CHOICES),
        ):
            value = getattr(self, name)
            if value and value not in allowed:
                raise BadFilter(f"{name} must be one of: {', '.join(allowed)}")
        r = self.responsible
        if r and r not in ("me", "none") and not _id_of(r.removeprefix("unit-")):
            raise BadFilter("responsible must be me, none, a user id or unit-<id>")

    def own_only(self) -> bool:
        """Whether only the organisation's own enquiries can match (the queue, returned and
        "nobody yet" all ask for `owner = the user's organisation`)."""
        return self.queue or self.returned or self.responsible == "none"

    def active(self) -> dict[str, str]:
        """The column filters set, for links that keep them."""
        names = ("contact_kind", "type", "status", "responsible", "due", "tag")
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in names}


def parts_to_read(parts: list[Q], f: ListFilters) -> list[Q]:
    """The parts of what a user sees (queries.visible_parts, the organisation's own first)
    that rows matching `f` can be in. Reading a part that cannot match walks its whole
    index for nothing: 300 ms for a brand's queue at a million enquiries (docs/benchmarks.md)."""
    return parts[:1] if f.own_only() else parts


def listed(
    user: User, f: ListFilters, now: datetime, *, offers: bool = True
) -> tuple[QuerySet[Enquiry], list[Q]]:
    """The list's enquiries for `f`, and the parts of what `user` sees they are read from,
    as pagination.paginate takes them: the query lies within exactly those parts (said
    once). `offers=False` leaves a partner's pending offers out (the page lists them apart)."""
    parts = parts_to_read(visible_parts(user, offers=offers), f)
    return apply_filters(enquiries_in(parts), f, user, now), parts


def responsible_of(e: Enquiry, org_id: int | None) -> str:
    """Who the list names as responsible for `e`, seen from organisation `org_id`; "" for
    the dispatcher's queue (nobody yet). Reads the prefetched `pending_offers`."""
    offers = getattr(e, "pending_offers", None)
    if offers:
        return str(offers[0].partner.name)
    if e.owner_id != org_id:
        return str(e.owner.name)
    if e.assigned_user is not None:
        return e.assigned_user.display_name()
    if e.assigned_unit is not None:
        return str(e.assigned_unit.name)
    return ""


def _id_of(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def apply_filters(
    qs: QuerySet[Enquiry], f: ListFilters, user: User, now: datetime
) -> QuerySet[Enquiry]:
    org = user.organisation_id
    if f.done is not None:
        # Literal values: the open and done indexes are partial on this very condition.
        done = Q(LiteralIn(F("status"), CLOSED))
        qs = qs.filter(done) if f.done else qs.exclude(done)
    if f.mine:
        qs = qs.filter(assigned_user=user)
    if f.unread:
        qs = unread(with_read_at(qs, user))
    if f.queue:
        qs = qs.filter(
            owner_id=org, assigned_user__isnull=True, assigned_unit__isnull=True
        ).exclude(status=Status.OFFERED)
    if f.returned:
        qs = qs.filter(owner_id=org, returned_at__isnull=False)
    if f.contact_kind:
        qs = qs.filter(contact__kind=f.contact_kind)
    if f.type:
        qs = qs.filter(type=f.type)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.tag:
        qs = qs.filter(tags__organisation=user.organisation, tags__name=f.tag)
    if f.responsible:
        qs = qs.filter(_responsible(f.responsible, user))
    if f.due:
        qs = qs.filter(_due(f.due, user, now))
    return qs


def _responsible(value: str, user: User) -> Q:
    if value == "me":
        return Q(assigned_user=user)
    if value == "none":
        return Q(
            owner_id=user.organisation_id, assigned_user__isnull=True, assigned_unit__isnull=True
        )
    if value.startswith("unit-"):
        return Q(assigned_unit_id=_id_of(value.removeprefix("unit-")), assigned_user__isnull=True)
    return Q(assigned_user_id=_id_of(value))


def _due(value: str, user: User, now: datetime) -> Q:
    if value == "none":
        return Q(due_at__isnull=True)
    if value == "overdue":
        return Q(due_at__lt=now)
    if value == "today":  # until midnight where the user's organisation works
        tz = ZoneInfo(user.organisation.timezone if user.organisation else "UTC")
        local = now.astimezone(tz)
        midnight = datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=tz)
        return Q(due_at__gte=now, due_at__lt=midnight)
    return Q(due_at__gte=now, due_at__lt=now + timedelta(days=7))  # "week": the next 7 days
