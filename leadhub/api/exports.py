"""Exports of the enquiry list (F4) through the API: the list's own filters
(api/enquiries.py), a small result at once, a larger one as a task to poll."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from leadhub.exports.actions import start_export
from leadhub.exports.models import Export
from leadhub.exports.queries import export_for_user
from leadhub.exports.run import language_of
from leadhub.exports.serve import download, download_now, small_enough
from leadhub.exports.source import Spec

from .auth import current_user, user_auth
from .enquiries import ListFilterQuery, list_filters
from .schemas import ErrorOut

router = Router(tags=["exports"], auth=user_auth)


class ExportIn(ListFilterQuery):
    """The list's filters and sort (as GET /api/v1/enquiries takes them) and a format."""

    format: Literal["xlsx", "csv"] = "xlsx"
    background: bool = False  # always as a task, however few the rows


class ExportOut(Schema):
    id: int
    format: str
    status: str  # queued, running, done, failed, expired
    rows_done: int
    rows_total: int | None
    created_at: datetime
    finished_at: datetime | None
    file_url: str | None  # when done


def out(e: Export) -> dict[str, object]:
    return {
        "id": e.pk,
        "format": e.format,
        "status": e.status,
        "rows_done": e.rows_done,
        "rows_total": e.rows_total,
        "created_at": e.created_at,
        "finished_at": e.finished_at,
        "file_url": f"/api/v1/exports/{e.pk}/file" if e.status == "done" else None,
    }


FILE = {
    "description": "Up to EXPORT_SYNC_MAX_ROWS rows (2,000 by default): the file itself.",
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            "schema": {"type": "string", "format": "binary"}
        },
    },
}


@router.post(
    "",
    response={202: ExportOut, 400: ErrorOut},
    summary="Export the enquiry list (xlsx or CSV)",
    openapi_extra={"responses": {"200": FILE}},
)
def create_export(request: HttpRequest, body: ExportIn) -> object:
    """The rows GET /api/v1/enquiries lists for the same filters, in the same order, all
    pages. Small: 200 with the file. Larger (or `background`): 202 with the export to poll
    at GET /api/v1/exports/{id}. An `Idempotency-Key` header makes a retry return the
    export it started instead of starting another."""
    user = current_user(request)
    if user.organisation is None:
        raise HttpError(400, "Only users of an organisation export enquiries.")
    spec = Spec(filters=list_filters(body), sort=body.sort, offers_first=False)
    now = timezone.now()
    language = language_of(user)
    if not body.background and small_enough(user, spec, now):
        return download_now(user, spec, body.format, language=language, now=now)
    key = request.headers.get("Idempotency-Key", "")[:64]
    export, _created = start_export(user, spec, fmt=body.format, language=language, request_key=key)
    return Status(202, out(export))


@router.get("/{int:export_id}", response={200: ExportOut, 404: ErrorOut}, summary="An export")
def get_export(request: HttpRequest, export_id: int) -> dict[str, object]:
    return out(export_for_user(current_user(request), export_id))


@router.get(
    "/{int:export_id}/file",
    response={404: ErrorOut},
    summary="An export's file (404 until it is done, and after it expired)",
)
def export_file(request: HttpRequest, export_id: int) -> HttpResponseBase:
    return download(export_for_user(current_user(request), export_id))
