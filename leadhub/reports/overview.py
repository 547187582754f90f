"""The overview (F1): enquiries per type, over the period's days or months, and against
the previous period. Two GROUP BY queries (three when comparing)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.db.models.functions import TruncDay, TruncMonth
from django.utils.translation import gettext as _

from leadhub.enquiries.models import EnquiryType
from leadhub.orgs.models import Organisation

from . import svg
from .common import enquiries
from .filters import Filters, date_field
from .tables import Column, Report, Table, change


def overview(org: Organisation, f: Filters) -> Report:
    labels = dict(EnquiryType.choices)
    unit, points = f.period.buckets()
    trunc = TruncDay if unit == "day" else TruncMonth
    at = date_field(f)
    rows = (
        enquiries(org, f, f.period)
        .annotate(bucket=trunc(at, tzinfo=ZoneInfo(f.tz)))
        .values_list("type", "bucket")
        .annotate(n=Count("*"))
        .order_by()
    )
    per: dict[tuple[str, date], int] = defaultdict(int)
    for type_, bucket, n in rows:
        day = bucket.date() if isinstance(bucket, datetime) else bucket
        per[(type_, day)] += n
    totals: dict[str, int] = defaultdict(int)
    for (type_, _day), n in per.items():
        totals[type_] += n
    before: dict[str, int] = {}
    if f.compare:
        before = dict(
            enquiries(org, f, f.period.previous())
            .values_list("type")
            .annotate(n=Count("*"))
            .order_by()
            .values_list("type", "n")
        )
    types = [t for t in EnquiryType.values if totals.get(t) or before.get(t)]
    by_type = Table(
        "by-type",
        _("Enquiries per type"),
        [Column("type", _("Type"), "text"), Column("enquiries", _("Enquiries"))]
        + (
            [Column("previous", _("Previous period")), Column("change", _("Change"), "percent")]
            if f.compare
            else []
        ),
    )
    for t in types:
        row: list[object] = [str(labels[t]), totals.get(t, 0)]
        if f.compare:
            row += [before.get(t, 0), change(totals.get(t, 0), before.get(t, 0))]
        by_type.rows.append(row)  # type: ignore[arg-type]
    total_row: list[object] = [_("All types"), sum(totals.values())]
    if f.compare:
        total_row += [sum(before.values()), change(sum(totals.values()), sum(before.values()))]
    by_type.rows.append(total_row)  # type: ignore[arg-type]
    if f.compare and types:
        by_type.chart = svg.bars(
            _("Enquiries per type: this period and the previous one"),
            [str(labels[t]) for t in types],
            [
                svg.Series(f.period.key, [totals.get(t, 0) for t in types]),
                svg.Series(f.period.previous().key, [before.get(t, 0) for t in types]),
            ],
        )
    over_time = Table(
        "over-time",
        _("Enquiries over time"),
        [Column("when", _("Day") if unit == "day" else _("Month"), "text")]
        + [Column(t, str(labels[t])) for t in types]
        + [Column("total", _("Total"))],
    )
    for d in points:
        counts = [per.get((t, d), 0) for t in types]
        over_time.rows.append([d.isoformat(), *counts, sum(counts)])
    if types:
        over_time.chart = svg.lines(
            _("Enquiries per type over time"),
            [str(d.day) if unit == "day" else f"{d:%Y-%m}" for d in points],
            [svg.Series(str(labels[t]), [per.get((t, d), 0) for d in points]) for t in types],
        )
    return Report(
        "overview",
        _("Overview"),
        f.period.key,
        f.period.previous().key if f.compare else None,
        [by_type, over_time],
    )
