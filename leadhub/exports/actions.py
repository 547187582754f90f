"""Writes of exports: start one (row and task in one transaction), run it (the task's
work, progress in short transactions of their own), expire old files (the sweeper)."""

from __future__ import annotations

import logging
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from leadhub.notifications.enqueue import enqueue_with_commit
from leadhub.orgs.models import User

from .models import Export, ExportStatus
from .run import write_rows
from .source import Source, Spec

log = logging.getLogger(__name__)


def start_export(
    user: User, spec: Spec, *, fmt: str, language: str, request_key: str = ""
) -> tuple[Export, bool]:
    """Queue an export for the worker; (export, created). The same `request_key` again
    (a double click, an API retry) returns the export it started, starting nothing."""
    from .tasks import run_export  # tasks imports this module

    if user.organisation is None:
        raise ValueError("Only users of an organisation export enquiries.")
    if request_key:
        found = Export.objects.filter(owner=user, request_key=request_key).first()
        if found is not None:
            return found, False
    try:
        with transaction.atomic():
            export = Export.objects.create(
                owner=user,
                organisation=user.organisation,
                format=fmt,
                filters=spec.as_json(),
                language=language,
                request_key=request_key,
            )
            enqueue_with_commit(run_export, export.pk)
    except IntegrityError:  # the same key, at the same moment, from a second request
        return Export.objects.get(owner=user, request_key=request_key), False
    return export, True


def root() -> Path:
    return Path(settings.EXPORT_ROOT)


def run(export_id: int) -> str:
    """Claim a queued export and write its file; a second run of the same task finds it
    claimed and does nothing (the conditional UPDATE decides)."""
    now = timezone.now()
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=now
    )
    if not claimed:
        return "nothing to do"
    export = Export.objects.select_related("owner__organisation").get(pk=export_id)
    spec = Spec.from_json(export.filters)
    relative = Path(str(export.organisation_id)) / (
        f"{export.pk}-{secrets.token_hex(8)}.{export.format}"
    )
    target = root() / relative
    partial = target.with_suffix(target.suffix + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as out:
            total = Source(export.owner, spec, now).count()
            Export.objects.filter(pk=export.pk).update(rows_total=total)

            def progress(done: int) -> None:  # autocommit: one short transaction each
                Export.objects.filter(pk=export.pk).update(rows_done=done)

            n = write_rows(
                export.owner,
                spec,
                export.format,
                out,
                language=export.language,
                now=now,
                progress=progress,
            )
        os.replace(partial, target)  # a file under its name is always whole
    except Exception as exc:
        log.exception("export %s failed", export.pk)
        partial.unlink(missing_ok=True)
        Export.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        return f"failed: {exc}"
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE,
        rows_done=n,
        rows_total=n,
        file_path=str(relative),
        finished_at=timezone.now(),
    )
    return f"{n} rows"


def expire_old(now: datetime) -> int:
    """Remove the files of exports finished more than EXPORT_RETENTION_HOURS ago and mark
    them expired (run by `leadhub sweep`). Each is claimed by a conditional UPDATE first,
    so two sweepers never both count one."""
    cutoff = now - timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    old = Export.objects.filter(
        status__in=[ExportStatus.DONE, ExportStatus.FAILED], finished_at__lt=cutoff
    ).values_list("pk", "file_path", "status")
    expired = 0
    for pk, path, status in list(old[:1000]):
        if not Export.objects.filter(pk=pk, status=status).update(status=ExportStatus.EXPIRED):
            continue
        if path:
            (root() / path).unlink(missing_ok=True)
        expired += 1
    return expired
