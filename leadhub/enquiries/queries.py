"""Reads of enquiries. Every read starts here, so access rules live in one place.

DESIGN.md "Data ownership": the owner organisation sees its enquiries as its category
rights allow; a partner with a pending offer sees the anonymised preview only; the brand
an enquiry came from keeps read access after a partner accepted it (never amounts).
"""

from __future__ import annotations

import enum
import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from leadhub.orgs.access import levels_by_category, unit_subtree
from leadhub.orgs.models import RightLevel, User
from leadhub.routing.models import Offer, OfferStatus

from .models import Enquiry, EnquiryType, HistoryEntry, Status
from .reading import unread, with_read_at
from .states import CLOSED, allowed_actions


class Access(enum.Enum):
    OWNER = "owner"  # full detail, may act
    PREVIEW = "preview"  # pending offer: anonymised preview, may accept or reject
    ORIGIN = "origin"  # the brand it came from or was shared with: read-only, never amounts


def _rights_filter(user: User) -> tuple[Q, list[str]]:
    levels = levels_by_category(user, EnquiryType.values)
    by_level: dict[RightLevel, list[str]] = {}
    for category, level in levels.items():
        by_level.setdefault(level, []).append(category)
    seen = Q(type__in=by_level.get(RightLevel.ALL, []))
    if RightLevel.UNITS in by_level:
        units = unit_subtree(user)
        seen |= Q(type__in=by_level[RightLevel.UNITS]) & (
            Q(assigned_unit__in=units) | Q(assigned_user__unit__in=units) | Q(assigned_user=user)
        )
    if RightLevel.OWN in by_level:
        seen |= Q(type__in=by_level[RightLevel.OWN], assigned_user=user)
    return seen, by_level.get(RightLevel.ALL, [])


def pending_offer_to(org_id: int) -> Exists:
    return Exists(
        Offer.objects.filter(enquiry=OuterRef("pk"), partner_id=org_id, status=OfferStatus.PENDING)
    )


def visible_parts(user: User, *, offers: bool = True) -> list[Q]:
    """What `user` may see, as disjoint parts whose union is `visible_enquiries(user)`;
    without a partner's pending offers if `offers` is False (the list page shows them
    apart, on top: reading their part again for its pages could find nothing).

    Each part has an index of its own (owner, origin brand), so a page of the list reads
    every part in order and merges them (pagination.paginate): one OR of them all made
    PostgreSQL walk an index over everyone's rows and filter (docs/benchmarks.md).
    Only what can happen to the organisation's kind: offers go to partners; enquiries
    come through a brand's channels or are shared with a brand."""
    if not user.is_authenticated or user.organisation is None:
        return []
    org = user.organisation.pk
    seen, all_types = _rights_filter(user)
    parts = [Q(owner_id=org) & seen]
    if not all_types:  # the other parts are seen whole or not at all
        return parts
    if user.organisation.is_brand:
        parts.append(Q(origin_brand_id=org, type__in=all_types) & ~Q(owner_id=org))
        parts.append(Q(shared_with_id=org, type__in=all_types) & ~Q(owner_id=org))  # B10
    elif offers:  # offers go to the organisation; its users who see the whole category do
        parts.append(Q(status=Status.OFFERED, type__in=all_types) & Q(pending_offer_to(org)))
    return parts


def visible_enquiries(user: User) -> QuerySet[Enquiry]:
    """Everything `user` may see in lists, in any access mode."""
    return enquiries_in(visible_parts(user))


def enquiries_in(parts: list[Q]) -> QuerySet[Enquiry]:
    """The union of some of visible_parts(user): a list that reads fewer parts says only
    those (each condition said twice, PostgreSQL multiplies their selectivities: it
    guessed 3 rows of a partner's 1,250 and joined users by a nested loop, 270 ms)."""
    if not parts:
        return Enquiry.objects.none()
    return Enquiry.objects.filter(reduce(operator.or_, parts))


def offers_waiting(user: User, visible: QuerySet[Enquiry]) -> QuerySet[Enquiry]:
    """Of `visible`, the offers pending for the user's organisation (B4): the list shows
    them apart, on top, whatever its filters; exports put them first the same way.
    Only partners get offers: for a brand the query is not even run."""
    if user.organisation is None or user.organisation.is_brand:
        return visible.none()
    return visible.filter(status=Status.OFFERED).exclude(owner_id=user.organisation_id)


def access_of(user: User, enquiry: Enquiry) -> Access:
    if enquiry.owner_id == user.organisation_id:
        return Access.OWNER
    if user.organisation_id in (enquiry.origin_brand_id, enquiry.shared_with_id):
        return Access.ORIGIN
    return Access.PREVIEW


def enquiry_for_user(user: User, number: str) -> tuple[Enquiry, Access]:
    """The enquiry `number` and how `user` may see it; 404 if not at all (no existence leak)."""
    enquiry = (
        visible_enquiries(user)
        .select_related(
            "contact", "channel", "owner", "origin_brand", "assigned_user", "assigned_unit"
        )
        .filter(number=number)
        .first()
    )
    if enquiry is None:
        raise Http404("No such enquiry.")
    return enquiry, access_of(user, enquiry)


def values_visible(access: Access) -> bool:
    """C8/F3: project values (quote and order numbers and amounts) are the owner's business:
    never in a preview, and a brand never sees a partner's. Pages, API and exports ask here."""
    return access is Access.OWNER


def history_for_user(user: User, enquiry: Enquiry, access: Access) -> QuerySet[HistoryEntry]:
    if access is Access.PREVIEW:
        return HistoryEntry.objects.none()  # history carries personal data and the raw payload
    return (
        enquiry.history.filter(Q(private_to__isnull=True) | Q(private_to_id=user.organisation_id))
        .filter(removed_at__isnull=True)
        .select_related("actor", "organisation")
        .order_by("at", "id")
    )


# Tabs count exactly up to this, then say "999+": an exact COUNT reads every row it counts,
# seconds per tab for a brand with a million enquiries; a capped one stops at the cap.
COUNTER_CAP = 999


@dataclass(frozen=True)
class TabCount:
    """A tab's count; `n` is at most COUNTER_CAP + 1, which means "more than the cap"."""

    n: int

    @property
    def capped(self) -> bool:
        return self.n > COUNTER_CAP

    def __str__(self) -> str:
        return f"{COUNTER_CAP}+" if self.capped else str(self.n)

    def __bool__(self) -> bool:
        return self.n > 0


def capped_count(qs: QuerySet[Enquiry]) -> TabCount:
    return TabCount(qs[: COUNTER_CAP + 1].count())  # SELECT COUNT(*) FROM (... LIMIT 1000)


def counters(user: User) -> dict[str, TabCount]:
    """Counts for the list's tabs, capped (see COUNTER_CAP)."""
    org = user.organisation_id
    # Offers to us are listed apart (at the top); the tabs count the rest.
    visible = visible_enquiries(user).exclude(~Q(owner_id=org) & Q(status=Status.OFFERED))
    return {
        "all": capped_count(visible),
        "mine": capped_count(visible.filter(assigned_user=user)),
        "unread": capped_count(unread(with_read_at(visible, user))),
        "queue": capped_count(
            visible.filter(
                owner_id=org, assigned_user__isnull=True, assigned_unit__isnull=True
            ).exclude(status=Status.OFFERED)
        ),
        "returned": capped_count(visible.filter(owner_id=org, returned_at__isnull=False)),
    }


def with_pending_offer(qs: QuerySet[Enquiry]) -> QuerySet[Enquiry]:
    """Prefetch each enquiry's pending offer into `pending_offers` (a list of 0 or 1)."""
    return qs.prefetch_related(
        Prefetch(
            "offers",
            queryset=Offer.objects.filter(status=OfferStatus.PENDING).select_related("partner"),
            to_attr="pending_offers",
        )
    )


def pending_offer_of(enquiry: Enquiry) -> Offer | None:
    offers = getattr(enquiry, "pending_offers", None)
    if offers is None:
        offers = list(enquiry.offers.filter(status=OfferStatus.PENDING).select_related("partner"))
    return offers[0] if offers else None


DISPATCH_ROLES = ("admin", "dispatcher", "manager")
REACT_ROLES = ("admin", "dispatcher", "manager", "sales")


def may_dispatch(user: User, access: Access, enquiry: Enquiry) -> bool:
    """Route, assign and re-assign: the dispatchers of a brand, on enquiries it holds.
    (A partner's own distribution among its users comes with assignment, B3.)"""
    return (
        access is Access.OWNER
        and user.has_role(*DISPATCH_ROLES)
        and enquiry.origin_brand_id == user.organisation_id  # a brand, on what it holds
        and enquiry.status not in CLOSED
    )


# Access predicates share one signature (user, access, enquiry), so views can pass any of
# them to the same access helper.


def may_react_to_offer(user: User, access: Access, enquiry: Enquiry) -> bool:
    """Accept or reject: the offered partner's users, except read-only viewers."""
    return access is Access.PREVIEW and user.has_role(*REACT_ROLES)


def may_work(user: User, access: Access, enquiry: Enquiry) -> bool:
    """Pipeline actions: the owner's users, except read-only viewers."""
    return access is Access.OWNER and user.has_role(*REACT_ROLES)


def actions_for(user: User, access: Access, enquiry: Enquiry) -> list[str]:
    """The pipeline actions `user` may take on `enquiry` now (states.py decides the rest)."""
    if not may_work(user, access, enquiry):
        return []
    return [
        a.name
        for a in allowed_actions(enquiry.status, enquiry.type)
        if a.name != "reopen" or enquiry.closed_by_id in (None, user.pk)
    ]
