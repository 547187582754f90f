"""Partner responsiveness (F1, decision 0040): offers made, accepted, rejected, expired; the
median and p90 time to react (accept or reject) in the partner's working hours, stored on
each offer when it was decided; the share of accepted offers the partner then worked on.

A brand sees its offers per partner; a partner sees the offers made to it, per brand.
Period: offers made (basis "created") or decided (basis "processed") in it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from leadhub.orgs.models import Organisation
from leadhub.routing.models import Offer, OfferStatus

from . import svg
from .filters import Filters, bounds, matching
from .periods import Period
from .stats import PercentileCont, percentile_cont
from .tables import Column, Report, Table, share
from .wording import in_sentence

REACTED = Q(status__in=[OfferStatus.ACCEPTED, OfferStatus.REJECTED])


def offers(org: Organisation, f: Filters, period: Period) -> QuerySet[Offer]:
    mine = Q(brand_id=org.pk) if org.is_brand else Q(partner_id=org.pk)
    start, end = bounds(period, f.tz)
    at = "created_at" if f.basis == "created" else "decided_at"
    return Offer.objects.filter(
        mine, matching(f, "enquiry__"), **{f"{at}__gte": start, f"{at}__lt": end}
    )


def _counts() -> dict[str, Any]:
    counts: dict[str, Any] = {
        "offered": Count("*"),
        "accepted": Count("status", filter=Q(status=OfferStatus.ACCEPTED)),
        "rejected": Count("status", filter=Q(status=OfferStatus.REJECTED)),
        "expired": Count("status", filter=Q(status=OfferStatus.EXPIRED)),
        "processed": Count(
            "status", filter=Q(status=OfferStatus.ACCEPTED, processed_at__isnull=False)
        ),
    }
    if connection.vendor == "postgresql":
        counts["median"] = PercentileCont("working_seconds", 0.5, filter=REACTED)
        counts["p90"] = PercentileCont("working_seconds", 0.9, filter=REACTED)
    return counts


def _times(qs: QuerySet[Offer], by: str | None) -> dict[Any, list[float]]:
    """Without percentile_cont (SQLite): the reacted offers' seconds, per group."""
    times: dict[Any, list[float]] = defaultdict(list)
    reacted = qs.filter(REACTED, working_seconds__isnull=False)
    for key, seconds in reacted.values_list(by or "brand_id", "working_seconds"):
        times[key if by else None].append(float(seconds or 0))
    return times


def _rows(org: Organisation, f: Filters, period: Period) -> dict[int, dict[str, Any]]:
    """Per partner (a brand's view) or per brand (a partner's): one GROUP BY."""
    by = "partner_id" if org.is_brand else "brand_id"
    qs = offers(org, f, period)
    rows = {r[by]: r for r in qs.values(by).order_by().annotate(**_counts())}
    if connection.vendor != "postgresql":
        times = _times(qs, by)
        for key, r in rows.items():
            r["median"] = percentile_cont(times[key], 0.5)
            r["p90"] = percentile_cont(times[key], 0.9)
    return rows


def _total(org: Organisation, f: Filters, period: Period) -> dict[str, Any]:
    """All offers of the period: one aggregate (percentiles are not sums of the groups')."""
    qs = offers(org, f, period)
    total = dict(qs.aggregate(**_counts()))
    if connection.vendor != "postgresql":
        values = _times(qs, None)[None]
        total["median"] = percentile_cont(values, 0.5)
        total["p90"] = percentile_cont(values, 0.9)
    return total


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def responsiveness(org: Organisation, f: Filters) -> Report:
    who = _("Partner") if org.is_brand else _("Brand")
    columns = [
        Column("who", who, "text"),
        Column("offered", _("Offers")),
        Column("accepted", _("Accepted")),
        Column("rejected", _("Rejected")),
        Column("expired", _("Expired")),
        Column("median_hours", _("Median time to react (working hours)"), "hours"),
        Column("p90_hours", _("90 % reacted within (working hours)"), "hours"),
        Column("processed", _("Processed further after acceptance"), "percent"),
    ]
    rows = _rows(org, f, f.period)
    names = dict(Organisation.objects.filter(pk__in=list(rows)).values_list("pk", "name"))
    table = Table(
        "per-partner" if org.is_brand else "per-brand",
        _("Per %(who)s") % {"who": in_sentence(who)},
        columns,
    )
    ordered = sorted(rows.items(), key=lambda kv: (-kv[1]["offered"], names.get(kv[0], "")))
    for key, r in ordered:
        table.rows.append(
            [
                names.get(key, "—"),
                r["offered"],
                r["accepted"],
                r["rejected"],
                r["expired"],
                _hours(r["median"]),
                _hours(r["p90"]),
                share(r["processed"], r["accepted"]),
            ]
        )
    if ordered:
        top = ordered[:15]
        table.chart = svg.bars(
            _("Median time to react, working hours"),
            [names.get(k, "—") for k, _r in top],
            [svg.Series(_("Median"), [_hours(r["median"]) or 0.0 for _k, r in top])],
        )
    summary = Table(
        "summary",
        _("All offers"),
        [Column("period", _("Period"), "text"), *columns[1:]],
    )
    for period in [f.period, f.period.previous()] if f.compare else [f.period]:
        total = _total(org, f, period)
        summary.rows.append(
            [
                period.key,
                total["offered"],
                total["accepted"],
                total["rejected"],
                total["expired"],
                _hours(total["median"]),
                _hours(total["p90"]),
                share(total["processed"], total["accepted"]),
            ]
        )
    return Report(
        "responsiveness",
        _("Partner responsiveness"),
        f.period.key,
        f.period.previous().key if f.compare else None,
        [summary, table],
    )
