"""Reads of referrals, and who may see them. Every view and endpoint starts here.

Referrals are the brand's business alone: a partner never sees them, another brand never
(decision 0032). Within the brand they are seen by the users who see every quote enquiry
(category rights, B9) — the enquiries accepted referrals become — and decided by those of
them who may work enquiries (not viewers); forms and links are for administrators.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from leadhub.contacts.models import Contact
from leadhub.duplicates.merged import merged_away
from leadhub.enquiries.models import Enquiry, EnquiryType
from leadhub.enquiries.queries import REACT_ROLES, visible_enquiries
from leadhub.orgs.access import levels_by_category
from leadhub.orgs.models import RightLevel, User

from .models import Referral, ReferralForm, ReferralStatus

SIMILAR_SHOWN = 20


def may_see_referrals(user: User) -> bool:
    org = getattr(user, "organisation", None)
    if not user.is_authenticated or org is None or not org.is_brand:
        return False
    quote = EnquiryType.QUOTE.value
    return levels_by_category(user, [quote])[quote] == RightLevel.ALL


def may_decide(user: User) -> bool:
    """Accept, reject and write to the broker."""
    return may_see_referrals(user) and user.has_role(*REACT_ROLES)


def may_manage_forms(user: User) -> bool:
    return may_see_referrals(user) and user.has_role("admin")


def referrals_for_user(user: User) -> QuerySet[Referral]:
    if not may_see_referrals(user):
        return Referral.objects.none()
    return Referral.objects.filter(brand_id=user.organisation_id)


def referral_for_user(user: User, referral_id: int) -> Referral:
    """The referral, if `user` may see it; 404 otherwise (no existence leak)."""
    referral = (
        referrals_for_user(user)
        .select_related("form", "status_changed_by", "enquiry", "brand")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No such referral.")
    return referral


def forms_for_user(user: User) -> QuerySet[ReferralForm]:
    if not may_see_referrals(user):
        return ReferralForm.objects.none()
    return ReferralForm.objects.filter(brand_id=user.organisation_id)


class BadFilter(ValueError):
    pass


@dataclass(frozen=True)
class Filters:
    """The tab's filters (E4); empty values filter nothing."""

    id: int | None = None
    client: str = ""  # any word of the client's name
    advisor: str = ""  # any word of the broker's (advisor's) name
    created_from: date | None = None
    created_to: date | None = None
    status: str = ""
    project: str = ""
    source: int | None = None  # a referral form's id

    def check(self) -> None:
        if self.status and self.status not in ReferralStatus.values:
            raise BadFilter(f"status must be one of: {', '.join(ReferralStatus.values)}")
        if self.created_from and self.created_to and self.created_from > self.created_to:
            raise BadFilter("created_from is after created_to")


def parse_filters(params: Mapping[str, str]) -> Filters:
    """The filters from a query string (the page's and the API's names are the same)."""

    def number(name: str) -> int | None:
        raw = params.get(name, "").strip()
        if not raw:
            return None
        if not raw.isdigit():
            raise BadFilter(f"{name} must be a number")
        return int(raw)

    def day(name: str) -> date | None:
        raw = params.get(name, "").strip()
        try:
            return date.fromisoformat(raw) if raw else None
        except ValueError as exc:
            raise BadFilter(f"{name} must be a date (YYYY-MM-DD)") from exc

    filters = Filters(
        id=number("id"),
        client=params.get("client", "").strip(),
        advisor=params.get("advisor", "").strip(),
        created_from=day("created_from"),
        created_to=day("created_to"),
        status=params.get("status", "").strip(),
        project=params.get("project", "").strip(),
        source=number("source"),
    )
    filters.check()
    return filters


def _words(field_a: str, field_b: str, text: str) -> Q:
    q = Q()
    for word in text.split():
        q &= Q(**{f"{field_a}__icontains": word}) | Q(**{f"{field_b}__icontains": word})
    return q


def apply_filters(
    qs: QuerySet[Referral], f: Filters, tz: ZoneInfo, *, with_status: bool = True
) -> QuerySet[Referral]:
    """Everything but the status when `with_status` is false (the tiles count by status)."""
    if f.id is not None:
        qs = qs.filter(pk=f.id)
    if f.client:
        qs = qs.filter(_words("first_name", "last_name", f.client))
    if f.advisor:
        qs = qs.filter(_words("broker_name", "broker_email", f.advisor))
    if f.created_from:
        qs = qs.filter(created_at__gte=datetime.combine(f.created_from, time.min, tzinfo=tz))
    if f.created_to:
        qs = qs.filter(created_at__lt=datetime.combine(f.created_to, time.max, tzinfo=tz))
    if f.project:
        qs = qs.filter(form__project=f.project)
    if f.source is not None:
        qs = qs.filter(form_id=f.source)
    if with_status and f.status:
        qs = qs.filter(status=f.status)
    return qs


def status_counts(qs: QuerySet[Referral]) -> dict[str, int]:
    """Referrals per status (and all), for the tiles."""
    counts = {s: 0 for s in ReferralStatus.values}
    for row in qs.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    counts["all"] = sum(counts.values())
    return counts


@dataclass(frozen=True)
class Similar:
    """Simple matches on the same PESEL, phone or e-mail (the full duplicate check, D1,
    is another feature): the brand's customers, its other referrals, and the enquiries
    (leads) the user may see."""

    clients: list[Contact]
    referrals: list[Referral]
    leads: list[Enquiry]


def _same(referral: Referral, *, phone: str, email: str) -> Q | None:
    q = Q()
    if referral.phone:
        q |= Q(**{phone: referral.phone})
    if referral.email:
        q |= Q(**{f"{email}__iexact": referral.email})
    return q or None


def similar_to(user: User, referral: Referral) -> Similar:
    contact_q = _same(referral, phone="phone", email="email")
    referral_q = _same(referral, phone="phone", email="email") or Q(pk__in=[])
    if referral.national_id:
        referral_q |= Q(national_id=referral.national_id)
    lead_q = _same(referral, phone="contact__phone", email="contact__email")
    clients: list[Contact] = []
    leads: list[Enquiry] = []
    if contact_q is not None:
        clients = list(
            Contact.objects.filter(contact_q, owner_id=referral.brand_id)
            .exclude(customer_number="")
            .exclude(merged_away())  # may keep an e-mail the kept one has too
            .order_by("-created_at")[:SIMILAR_SHOWN]
        )
    if lead_q is not None:
        leads = list(
            visible_enquiries(user)
            .filter(lead_q)
            .exclude(referral=referral)
            .select_related("contact", "channel", "assigned_user")
            .order_by("-created_at")[:SIMILAR_SHOWN]
        )
    referrals = list(
        referrals_for_user(user)
        .filter(referral_q)
        .exclude(pk=referral.pk)
        .select_related("form")
        .order_by("-created_at")[:SIMILAR_SHOWN]
    )
    return Similar(clients=clients, referrals=referrals, leads=leads)
