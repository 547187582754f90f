"""Samples and brochures (F1): what was asked for, per item and per country, from the
item lines of the enquiries under the filters. One GROUP BY per table."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from leadhub.catalogue.models import EnquiryItem, ItemKind
from leadhub.orgs.models import Organisation

from . import svg
from .common import country, periods
from .filters import Filters, in_period, matching
from .periods import Period
from .scope import counted_by
from .tables import Column, Report, Table


def _lines(org: Organisation, f: Filters, period: Period, kind: str):  # type: ignore[no-untyped-def]
    # Joined to their enquiries (one line per enquiry and item: no double counting), whose
    # columns here all sit in the report index: PostgreSQL reads the enquiries from it
    # alone, the country too. Lines exist on sample and brochure requests only: saying so
    # narrows that index read.
    e = "enquiry__"
    return EnquiryItem.objects.filter(
        counted_by(org, e),
        matching(f, e),
        in_period(f, period, e),
        enquiry__type__in=ItemKind.values,
        item__kind=kind,
    )


def catalogue(org: Organisation, f: Filters, kind: str) -> Report:
    if kind not in ItemKind.values:
        raise ValueError(f"kind is one of {ItemKind.values}")
    title = _("Samples") if kind == ItemKind.SAMPLE else _("Brochures")
    compare = periods(f)
    previous = {}
    if f.compare:
        previous = {
            sku: q
            for sku, q in _lines(org, f, compare[1], kind)
            .values_list("item__sku")
            .annotate(q=Sum("quantity"))
            .order_by()
            .values_list("item__sku", "q")
        }
    per_item = Table(
        "per-item",
        _("Per item"),
        [
            Column("sku", _("Item"), "text"),
            Column("name", _("Name"), "text"),
            Column("enquiries", _("Enquiries")),
            Column("quantity", _("Quantity")),
        ]
        + ([Column("previous", _("Quantity, previous period"))] if f.compare else []),
    )
    items = (
        _lines(org, f, f.period, kind)
        .values_list("item__sku", "item__name")
        .annotate(n=Count("enquiry_id", distinct=True), q=Sum("quantity"))
        .order_by("-q", "item__sku")
    )
    for sku, name, n, q in items:
        per_item.rows.append([sku, name, n, q] + ([previous.get(sku, 0)] if f.compare else []))
    if per_item.rows:
        top = per_item.rows[:15]
        series = [svg.Series(f.period.key, [float(r[3] or 0) for r in top])]
        if f.compare:
            series.append(svg.Series(compare[1].key, [float(r[4] or 0) for r in top]))
        per_item.chart = svg.bars(_("Quantity per item"), [str(r[0]) for r in top], series)
    per_country = Table(
        "per-country",
        _("Per country"),
        [
            Column("country", _("Country"), "text"),
            Column("enquiries", _("Enquiries")),
            Column("quantity", _("Quantity")),
        ],
    )
    countries = (
        _lines(org, f, f.period, kind)
        .annotate(where=country("enquiry__"))
        .values_list("where")
        .annotate(n=Count("enquiry_id", distinct=True), q=Sum("quantity"))
        .order_by("-q", "where")
    )
    for where, n, q in countries:
        per_country.rows.append([where or _("Unknown"), n, q])
    if per_country.rows:
        top = per_country.rows[:15]
        per_country.chart = svg.bars(
            _("Quantity per country"),
            [str(r[0]) for r in top],
            [svg.Series(_("Quantity"), [float(r[2] or 0) for r in top])],
        )
    return Report(
        "samples" if kind == ItemKind.SAMPLE else "brochures",
        title,
        f.period.key,
        compare[1].key if f.compare else None,
        [per_item, per_country],
    )
