"""The quotes report (F1): quote enquiries, how many got a quote and how many an order
(the conversion rate), grouped by one dimension; amounts only where the reader may see them
(scope.amounts_of: a brand never sums a partner's)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leadhub.enquiries.models import Status
from leadhub.intake.models import Channel
from leadhub.orgs.models import Organisation, OrgUnit, User

from . import svg
from .common import ORDERED, QUOTED, country, enquiries, periods
from .filters import Filters
from .scope import amounts_of
from .tables import Column, Report, Table, change, share
from .wording import in_sentence

DIMENSIONS = {
    "status": gettext_lazy("Status"),
    "channel": gettext_lazy("Channel"),
    "country": gettext_lazy("Country"),
    "user": gettext_lazy("User"),
    "unit": gettext_lazy("Unit"),
    "tag": gettext_lazy("Tag"),
    "showroom": gettext_lazy("Showroom"),
}


def _money(value: Decimal | None) -> Decimal:
    """Cents always (SQLite sums decimals without their scale)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _sums(org: Organisation) -> dict[str, Any]:
    own = amounts_of(org)
    return {
        "n": Count("*"),
        "quoted": Count("status", filter=QUOTED),
        "ordered": Count("status", filter=ORDERED),
        "quote_amount": Sum("quote_amount", filter=own & QUOTED),
        "order_amount": Sum("order_amount", filter=own & ORDERED),
    }


def _grouped(org: Organisation, f: Filters, by: str) -> list[tuple[str, dict[str, Any]]]:
    qs = enquiries(org, f, f.period).filter(type="quote")
    if by == "tag":
        # Only the reader's own tags: a brand never learns a partner's keywords.
        qs = qs.filter(tags__organisation=org)
        key: Any = "tags__name"
    elif by == "country":
        qs = qs.annotate(group=country())
        key = "group"
    elif by == "showroom":
        key = "appointment_unit"
        qs = qs.filter(appointment_place="showroom")
    else:
        key = {
            "status": "status",
            "channel": "channel",
            "user": "assigned_user",
            "unit": "assigned_unit",
        }[by]
    rows = qs.values(key).annotate(**_sums(org)).order_by()
    labels = _labels(by, org)
    # Groups with one label are one row: a brand sees "A partner's user", not thousands.
    merged: dict[str, dict[str, Any]] = {}
    names = list(_sums(org))
    for r in rows:
        label = labels(r[key])
        into = merged.setdefault(label, {k: None if "amount" in k else 0 for k in names})
        for k in into:
            if r[k] is not None:
                into[k] = (into[k] or 0) + r[k]
    return sorted(merged.items(), key=lambda pair: (-pair[1]["n"], pair[0]))


def _labels(by: str, org: Organisation) -> Callable[[Any], str]:
    nothing = {
        "channel": _("Entered by hand"),
        "user": _("Nobody"),
        "unit": _("No unit"),
        "country": _("Unknown"),
    }.get(by, "—")
    names: dict[Any, str] = {}
    if by == "status":
        names = {k: str(v) for k, v in Status.choices}
    elif by == "channel":
        names = dict(Channel.objects.values_list("pk", "key"))
    elif by == "user":
        names = {u.pk: u.display_name() for u in User.objects.filter(organisation=org)}
    elif by in ("unit", "showroom"):
        names = dict(OrgUnit.objects.filter(organisation=org).values_list("pk", "name"))

    # The brand does not learn partners' staff or units: theirs are one row each.
    theirs = _("A partner's user") if by == "user" else _("A partner's unit")

    def label(value: Any) -> str:
        if value in (None, ""):
            return nothing
        if by in ("user", "unit", "showroom") and value not in names:
            return theirs
        return names.get(value, str(value))

    return label


def quotes(org: Organisation, f: Filters, by: str = "status") -> Report:
    if by not in DIMENSIONS:
        raise ValueError(f"group by one of: {', '.join(DIMENSIONS)}")
    amount_note = _(" (own enquiries only)") if org.is_brand else ""
    amount_cols = [
        Column("quote_amount", _("Quoted amount") + amount_note, "amount"),
        Column("order_amount", _("Ordered amount") + amount_note, "amount"),
    ]
    summary = Table(
        "summary",
        _("Quote enquiries"),
        [
            Column("period", _("Period"), "text"),
            Column("enquiries", _("Enquiries")),
            Column("quoted", _("With a quote")),
            Column("ordered", _("Ordered")),
            Column("conversion", _("Conversion rate"), "percent"),
            *amount_cols,
        ],
    )
    counts = []
    for period in periods(f):
        s = enquiries(org, f, period).filter(type="quote").aggregate(**_sums(org))
        counts.append(s["n"])
        summary.rows.append(
            [
                period.key,
                s["n"],
                s["quoted"],
                s["ordered"],
                share(s["ordered"], s["n"]),
                _money(s["quote_amount"]),
                _money(s["order_amount"]),
            ]
        )
    if f.compare:
        summary.columns.append(Column("change", _("Change in enquiries"), "percent"))
        summary.rows[0].append(change(counts[0], counts[1]))
        summary.rows[1].append(None)
    grouped = _grouped(org, f, by)
    table = Table(
        f"by-{by}",
        _("Quote enquiries by %(dimension)s") % {"dimension": in_sentence(str(DIMENSIONS[by]))},
        [
            Column("group", str(DIMENSIONS[by]), "text"),
            Column("enquiries", _("Enquiries")),
            Column("quoted", _("With a quote")),
            Column("ordered", _("Ordered")),
            Column("conversion", _("Conversion rate"), "percent"),
            *amount_cols,
        ],
    )
    for label, r in grouped:
        table.rows.append(
            [
                label,
                r["n"],
                r["quoted"],
                r["ordered"],
                share(r["ordered"], r["n"]),
                _money(r["quote_amount"]),
                _money(r["order_amount"]),
            ]
        )
    if grouped:
        top = grouped[:15]
        table.chart = svg.bars(
            table.title,
            [label for label, _r in top],
            [
                svg.Series(_("Enquiries"), [r["n"] for _l, r in top]),
                svg.Series(_("Ordered"), [r["ordered"] for _l, r in top]),
            ],
        )
    return Report(
        "quotes",
        _("Quotes"),
        f.period.key,
        f.period.previous().key if f.compare else None,
        [summary, table],
    )
