"""Report filters (F2): read from a query string, checked against the organisation's own
units, users, zones, channels and tags, and turned into one Q over enquiries.

Bad input is refused per field (FilterError.errors), never silently dropped: a report
with a filter quietly ignored would show wrong numbers.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import reduce
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from leadhub.enquiries.models import EnquiryType, Place, Status, Tag
from leadhub.intake.models import Channel
from leadhub.orgs.models import Organisation, OrgUnit, User
from leadhub.routing.models import Zone
from leadhub.routing.postcodes import PostcodePatternError, parse_postcode_pattern

from .periods import GRANULARITIES, Period, PeriodError, containing, parse


class FilterError(ValueError):
    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


@dataclass(frozen=True)
class Filters:
    period: Period
    basis: str = "created"  # "created" (received) or "processed" (last worked on)
    compare: bool = False
    units: tuple[int, ...] = ()  # the chosen unit and those below it
    user: int | None = None
    country: str = ""
    status: str = ""
    origin: str = ""  # "internal" (entered by hand) or "external" (through a channel)
    showroom: str = ""  # "yes": an appointment in a showroom; "no": none
    zone: Zone | None = None
    channel: int | None = None
    referrer: str = ""
    type: str = ""
    tags: tuple[int, ...] = ()
    tz: str = "UTC"


def read(params: QueryDict, org: Organisation, *, today: date | None = None) -> Filters:
    """The filters in `params` for reports of `org`; FilterError names each bad field."""
    errors: dict[str, str] = {}
    tz = org.timezone or "UTC"
    today = today or timezone.now().astimezone(ZoneInfo(tz)).date()

    def text(name: str) -> str:
        return (params.get(name) or "").strip()

    granularity = text("granularity") or "month"
    period = containing("month", today)
    if granularity not in GRANULARITIES:
        errors["granularity"] = "Choose month, quarter, semester or year."
    else:
        try:
            period = (
                parse(granularity, text("period"))
                if text("period")
                else containing(granularity, today)
            )
        except PeriodError as exc:
            errors["period"] = str(exc)
    basis = text("basis") or "created"
    if basis not in ("created", "processed"):
        errors["basis"] = "Choose created or processed."
    choice = _Choice(errors)
    units = choice.units(text("unit"), org)
    user = choice.pick("user", text("user"), User.objects.filter(organisation=org))
    country = text("country").upper()
    if country and (len(country) != 2 or not country.isalpha()):
        errors["country"] = "A country is two letters, like IT."
    status = choice.among("status", text("status"), Status.values)
    origin = choice.among("origin", text("origin"), ["internal", "external"])
    showroom = choice.among("showroom", text("showroom"), ["yes", "no"])
    zone = None
    if text("zone"):
        zone = _zones(org).filter(key=text("zone")).first()
        if zone is None:
            errors["zone"] = f"No zone {text('zone')!r}."
    channel = None
    if text("channel"):
        channel = _channels(org).filter(key=text("channel")).values_list("pk", flat=True).first()
        if channel is None:
            errors["channel"] = f"No channel {text('channel')!r}."
    type_ = choice.among("type", text("type"), EnquiryType.values)
    tag_names = [t.strip() for t in params.getlist("tag") if t.strip()]
    tags = dict(Tag.objects.filter(organisation=org, name__in=tag_names).values_list("name", "pk"))
    missing = [n for n in tag_names if n not in tags]
    if missing:
        errors["tag"] = "No tag " + ", ".join(repr(n) for n in missing) + "."
    if errors:
        raise FilterError(errors)
    return Filters(
        period=period,
        basis=basis,
        compare=text("compare") in ("1", "on", "true", "yes"),
        units=units,
        user=user,
        country=country,
        status=status,
        origin=origin,
        showroom=showroom,
        zone=zone,
        channel=channel,
        referrer=text("referrer"),
        type=type_,
        tags=tuple(sorted(tags.values())),
        tz=tz,
    )


class _Choice:
    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors

    def among(self, name: str, value: str, allowed: Sequence[str]) -> str:
        if value and value not in allowed:
            self.errors[name] = f"{value!r} is not one of: {', '.join(allowed)}."
            return ""
        return value

    def pick(self, name: str, value: str, qs: QuerySet[User]) -> int | None:
        if not value:
            return None
        found = value.isdigit() and qs.filter(pk=int(value)).exists()
        if not found:
            self.errors[name] = f"No {name} {value!r} in your organisation."
            return None
        return int(value)

    def units(self, value: str, org: Organisation) -> tuple[int, ...]:
        if not value:
            return ()
        parents = dict(OrgUnit.objects.filter(organisation=org).values_list("pk", "parent_id"))
        if not value.isdigit() or int(value) not in parents:
            self.errors["unit"] = f"No unit {value!r} in your organisation."
            return ()
        chosen = int(value)
        below = {chosen}
        grew = True
        while grew:  # the unit's subtree: a region counts its branches
            more = {pk for pk, parent in parents.items() if parent in below} - below
            below |= more
            grew = bool(more)
        return tuple(sorted(below))


def _brands(org: Organisation) -> list[int]:
    return [org.pk] if org.is_brand else list(org.brands.values_list("pk", flat=True))


def _zones(org: Organisation) -> QuerySet[Zone]:
    return Zone.objects.filter(brand__in=_brands(org)).order_by("key")


def _channels(org: Organisation) -> QuerySet[Channel]:
    return Channel.objects.filter(brand__in=_brands(org)).order_by("key")


def choices(org: Organisation) -> dict[str, list[tuple[str, str]]]:
    """What the filter form offers: only the organisation's own (and its brands' zones and
    channels for a partner)."""
    return {
        "unit": [(str(u.pk), u.name) for u in OrgUnit.objects.filter(organisation=org)],
        "user": [
            (str(u.pk), u.display_name())
            for u in User.objects.filter(organisation=org).order_by("username")
        ],
        "zone": [(z.key, z.key) for z in _zones(org)],
        "channel": [(c.key, c.key) for c in _channels(org)],
        "tag": [(t.name, t.name) for t in Tag.objects.filter(organisation=org)],
    }


def bounds(period: Period, tz: str) -> tuple[datetime, datetime]:
    """The period's start and end as instants, midnight in the organisation's time zone."""
    zone = ZoneInfo(tz)
    return (
        datetime.combine(period.start, datetime.min.time(), zone).astimezone(UTC),
        datetime.combine(period.end, datetime.min.time(), zone).astimezone(UTC),
    )


def date_field(f: Filters) -> str:
    return "created_at" if f.basis == "created" else "updated_at"


def in_period(f: Filters, period: Period, prefix: str = "") -> Q:
    start, end = bounds(period, f.tz)
    name = prefix + date_field(f)
    return Q(**{f"{name}__gte": start, f"{name}__lt": end})


def place(prefix: str, name: str, lookup: str, value: object) -> Q:
    """The site's country or postal code when a site is given, else the contact's."""
    return Q(**{f"{prefix}site_country": "", f"{prefix}contact__{name}{lookup}": value}) | (
        ~Q(**{f"{prefix}site_country": ""}) & Q(**{f"{prefix}site_{name}{lookup}": value})
    )


def matching(f: Filters, prefix: str = "") -> Q:
    """Everything but the period, as one Q; `prefix` "enquiry__" for offers."""
    p = prefix
    q = Q()
    if f.units:
        q &= Q(**{f"{p}assigned_unit__in": f.units})
    if f.user is not None:
        q &= Q(**{f"{p}assigned_user": f.user})
    if f.country:
        q &= Q(**{f"{p}place_country": f.country})
    if f.status:
        q &= Q(**{f"{p}status": f.status})
    if f.origin:
        q &= Q(**{f"{p}channel__isnull": f.origin == "internal"})
    if f.showroom == "yes":
        q &= Q(**{f"{p}appointment_place": Place.SHOWROOM})
    elif f.showroom == "no":
        q &= ~Q(**{f"{p}appointment_place": Place.SHOWROOM})
    if f.zone is not None:
        q &= _zone_q(f.zone, p)
    if f.channel is not None:
        q &= Q(**{f"{p}channel": f.channel})
    if f.referrer:
        q &= Q(**{f"{p}referrer_url__icontains": f.referrer}) | Q(
            **{f"{p}utm_source__iexact": f.referrer}
        )
    if f.type:
        q &= Q(**{f"{p}type": f.type})
    if f.tags:
        through = Tag.enquiries.through.objects.filter(
            enquiry_id=OuterRef(f"{p}pk" if p else "pk"), tag_id__in=f.tags
        )
        q &= Q(Exists(through))
    return q


def _zone_q(zone: Zone, p: str) -> Q:
    """A zone's postal codes and provinces as SQL (routing/postcodes.py's patterns)."""
    parts: list[Q] = []
    for text in zone.postal_codes:
        try:
            pat = parse_postcode_pattern(str(text))
        except PostcodePatternError:
            continue  # the network loader refuses these; an old row must not break reports
        if pat.prefix:
            parts.append(place(p, "postal_code", "__startswith", pat.low))
        elif pat.low == pat.high:
            parts.append(place(p, "postal_code", "", pat.low))
        else:
            parts.append(
                place(p, "postal_code", "__gte", pat.low)
                & place(p, "postal_code", "__lte", pat.high)
                & place(p, "postal_code", "__regex", rf"^.{{{len(pat.low)}}}$")
            )
    parts += [place(p, "province", "__iexact", prov) for prov in zone.provinces]
    inside = reduce(operator.or_, parts) if parts else Q(pk__in=[])
    return Q(**{f"{p}place_country": zone.country}) & inside
