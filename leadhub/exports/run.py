"""One pass over an export's rows into a file: shared by the direct download, the task
and bench/export.py, so all three measure and produce the same thing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import IO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation

from leadhub.orgs.models import User

from .columns import RowMaker, headers
from .source import Source, Spec
from .write import writer_for

Progress = Callable[[int], None]


def write_rows(
    user: User,
    spec: Spec,
    fmt: str,
    out: IO[bytes],
    *,
    language: str,
    now: datetime,
    progress: Progress | None = None,
) -> int:
    """Write the export of `spec` for `user` to `out`; `progress(rows written)` after
    each batch. Returns the number of rows."""
    org = user.organisation
    tz = ZoneInfo(org.timezone if org else settings.TIME_ZONE)
    with translation.override(language):
        maker = RowMaker(org_id=user.organisation_id, tz=tz)
        writer = writer_for(fmt, out, language)
        writer.header(headers())
        n = 0
        for batch in Source(user, spec, now).batches(settings.EXPORT_BATCH_ROWS):
            for item in batch:
                n += 1
                writer.row(maker.row(item.enquiry, n, item.access, item.related))
            if progress is not None:
                progress(n)
        writer.close()
    return n


def language_of(user: User) -> str:
    """The user's own interface language, else the request's (Accept-Language)."""
    available = {code for code, _name in settings.LANGUAGES}
    if user.language in available:
        return user.language
    return translation.get_language() or settings.LANGUAGE_CODE
