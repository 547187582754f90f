"""Exports as HTTP responses, after the caller checked access: small ones written at once
into a temporary file, finished ones from EXPORT_ROOT. Attachments, never cached by shared
caches (personal data)."""

from __future__ import annotations

import tempfile
from datetime import datetime

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone

from leadhub.orgs.models import User

from .models import Export
from .queries import file_of
from .run import write_rows
from .source import Source, Spec

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def small_enough(user: User, spec: Spec, now: datetime) -> bool:
    """At most EXPORT_SYNC_MAX_ROWS rows: counted only up to one more than that."""
    limit = settings.EXPORT_SYNC_MAX_ROWS
    return Source(user, spec, now).count(limit=limit) <= limit


def _private(response: FileResponse) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def download_now(user: User, spec: Spec, fmt: str, *, language: str, now: datetime) -> FileResponse:
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it, which removes it)
    write_rows(user, spec, fmt, out, language=language, now=now)
    out.seek(0)
    name = f"enquiries-{timezone.localtime(now):%Y%m%d-%H%M}.{fmt}"
    return _private(
        FileResponse(out, as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])
    )


def download(export: Export) -> FileResponse:
    path = file_of(export)
    return _private(
        FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=export.filename,
            content_type=CONTENT_TYPES[export.format],
        )
    )
