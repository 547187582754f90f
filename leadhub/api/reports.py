"""Reports (F1-F3) through the API: GET /api/v1/reports/{name}?<filters>, the same tables
as the pages (reports/registry.py), as JSON. Amounts are strings (exact decimals)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from leadhub.reports.filters import FilterError, read
from leadhub.reports.registry import DIMENSIONS, NAMES, build
from leadhub.reports.scope import reporting_org

from .auth import current_user, user_auth
from .schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["reports"], auth=user_auth)


class ColumnOut(Schema):
    key: str
    label: str
    kind: str  # text, count, percent, hours, amount


class TableOut(Schema):
    key: str
    title: str
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]


class ReportOut(Schema):
    name: str
    title: str
    period: str
    previous: str | None
    tables: list[TableOut]


@router.get(
    "/{name}",
    response={200: ReportOut, 400: ValidationErrorOut, 404: ErrorOut},
    summary="A report: overview, quotes, samples, brochures or responsiveness",
)
def report(request: HttpRequest, name: str) -> Status[dict[str, Any]]:
    """Query parameters (all optional): `granularity` (month, quarter, semester, year),
    `period` (2026-11, 2026-Q4, 2026-H2, 2026; default: the current one), `basis` (created
    or processed), `compare=1` (add the previous period), `unit`, `user` (ids of your
    organisation), `country`, `status`, `origin` (internal, external), `showroom` (yes, no),
    `zone`, `channel` (keys), `referrer`, `type`, `tag` (repeatable); quotes: `by` (status,
    channel, country, user, unit, tag, showroom). A brand counts the enquiries of its own
    channels and sums only its own amounts; a partner counts all of its own."""
    org = reporting_org(current_user(request))
    if name not in NAMES:
        raise Http404
    errors: dict[str, str] = {}
    try:
        f = read(request.GET, org)
    except FilterError as exc:
        errors = exc.errors
    by = request.GET.get("by", "")
    if by and by not in DIMENSIONS:
        errors["by"] = f"Choose one of: {', '.join(DIMENSIONS)}."
    if errors:
        return Status(
            400,
            {
                "detail": "Some filters are not valid.",
                "errors": [{"field": k, "message": v} for k, v in errors.items()],
            },
        )
    r = build(name, org, f, {"by": by})
    return Status(
        200,
        {
            "name": r.name,
            "title": r.title,
            "period": r.period,
            "previous": r.previous,
            "tables": [
                {
                    "key": t.key,
                    "title": t.title,
                    "columns": [
                        {"key": c.key, "label": c.label, "kind": c.kind} for c in t.columns
                    ],
                    "rows": t.as_dicts(),
                }
                for t in r.tables
            ],
        },
    )
