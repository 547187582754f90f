"""Reports (F1-F3): five tabs under /reports/, each table beside its chart and downloadable
as CSV or xlsx. The organisation comes from reports.scope.reporting_org (404 otherwise)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from leadhub.enquiries.models import EnquiryType, Status
from leadhub.exports.run import language_of
from leadhub.reports import export
from leadhub.reports.filters import FilterError, choices, read
from leadhub.reports.periods import GRANULARITIES
from leadhub.reports.registry import DIMENSIONS, NAMES, UnknownReport, build
from leadhub.reports.scope import reporting_org
from leadhub.reports.tables import Cell, Report, Table

from .common import current_user


def _cell(value: Cell, kind: str) -> tuple[str, str]:
    """(text, css class): numbers right-aligned, a dash for nothing."""
    if value is None:
        return "—", "num"
    if kind == "text":
        return str(value), ""
    if kind == "percent":
        return f"{formats.number_format(value, 1)} %", "num"
    if kind in ("hours",):
        return formats.number_format(value, 1), "num"
    if kind == "amount":
        return formats.number_format(value, 2, force_grouping=True), "num"
    return formats.number_format(value, force_grouping=True), "num"


def _body(t: Table) -> SafeString:
    """The table's rows as HTML, escaped here: a partner list has a thousand rows, which
    the template language renders ten times slower than this."""
    out = []
    for row in t.rows:
        cells = []
        for value, column in zip(row, t.columns, strict=True):
            text, css = _cell(value, column.kind)
            attr = f' class="{css}"' if css else ""
            cells.append(f"<td{attr}>{escape(text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return mark_safe("\n".join(out))


@login_required
def reports_home(request: HttpRequest) -> HttpResponse:
    reporting_org(current_user(request))
    return redirect("report", name="overview")


def _report(request: HttpRequest, name: str) -> tuple[Report | None, dict[str, str], object]:
    org = reporting_org(current_user(request))
    if name not in NAMES:
        raise Http404
    try:
        f = read(request.GET, org)
    except FilterError as exc:
        return None, exc.errors, org
    by = request.GET.get("by", "")
    if name == "quotes" and by and by not in DIMENSIONS:
        return None, {"by": f"Choose one of: {', '.join(DIMENSIONS)}."}, org
    try:
        return build(name, org, f, {"by": by}), {}, org
    except UnknownReport as exc:  # pragma: no cover - NAMES and the registry agree
        raise Http404 from exc


@login_required
def report(request: HttpRequest, name: str) -> HttpResponse:
    result, errors, org = _report(request, name)
    query = request.GET.urlencode()
    tables = []
    if result is not None:
        for t in result.tables:
            tables.append(
                {
                    "table": t,
                    "body": _body(t),
                    "chart": mark_safe(t.chart),
                    "csv": f"{t.key}.csv?{query}",
                    "xlsx": f"{t.key}.xlsx?{query}",
                }
            )
    g = request.GET
    context = {
        "name": name,
        "tabs": [(key, label, f"/reports/{key}/?{query}") for key, label in NAMES.items()],
        "report": result,
        "tables": tables,
        "errors": errors,
        "choices": choices(org),  # type: ignore[arg-type]
        "granularities": GRANULARITIES,
        "types": EnquiryType.choices,
        "statuses": Status.choices,
        "dimensions": list(DIMENSIONS.items()),
        "g": {k: g.get(k, "") for k in g},
        "tags_chosen": g.getlist("tag"),
    }
    return render(request, "web/reports.html", context, status=400 if errors else 200)


@login_required
def report_download(request: HttpRequest, name: str, table: str, fmt: str) -> HttpResponse:
    result, errors, _org = _report(request, name)
    if result is None:
        return HttpResponse(
            "\n".join(f"{k}: {v}" for k, v in errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    try:
        t = result.table(table)
    except KeyError as exc:
        raise Http404 from exc
    filename = f"{name}-{t.key}-{result.period}.{fmt}"
    if fmt == "csv":
        csv = export.to_csv(t, language_of(current_user(request)))
        response = HttpResponse(csv, content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            export.to_xlsx(t),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
