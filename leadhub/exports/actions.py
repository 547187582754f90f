"""Writes of exports: start one (row and task in one transaction), run it (the task's
work, progress and heartbeat in short transactions of their own), fail those whose worker
died and expire old files (the sweeper)."""

from __future__ import annotations

import logging
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from leadhub.notifications.enqueue import enqueue_with_commit
from leadhub.orgs.models import User

from .models import WORKER_LOST, Export, ExportStatus
from .run import write_rows
from .source import Source, Spec

log = logging.getLogger(__name__)
PART = ".part"  # the suffix of a file being written


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


def start_again(user: User, failed: Export) -> Export:
    """A new export of what a failed one asked for (its filters, format and language).
    Keyed by the failed one: a second click on its button starts nothing more."""
    if failed.owner_id != user.pk or failed.status != ExportStatus.FAILED:
        raise ValueError("Only a failed export of one's own starts again.")
    export, _created = start_export(
        user,
        Spec.from_json(failed.filters),
        fmt=failed.format,
        language=failed.language,
        request_key=f"again-{failed.pk}",
    )
    return export


def root() -> Path:
    return Path(settings.EXPORT_ROOT)


class Abandoned(Exception):
    """The sweeper gave the export up (no heartbeat for EXPORT_STALE_MINUTES) while this
    worker still wrote it: stop, and leave the sweeper's verdict as it is."""


def run(export_id: int) -> str:
    """Claim a queued export and write its file; a second run of the same task finds it
    claimed and does nothing (the conditional UPDATE decides). Every write after the claim
    is conditional on the export still running, with a fresh heartbeat (decision 0053)."""
    now = timezone.now()
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return "nothing to do"
    export = Export.objects.select_related("owner__organisation").get(pk=export_id)
    running = Export.objects.filter(pk=export_id, status=ExportStatus.RUNNING)

    def beat(**progress: int) -> None:  # autocommit: one short transaction each
        if not running.update(heartbeat_at=timezone.now(), **progress):
            raise Abandoned

    spec = Spec.from_json(export.filters)
    relative = Path(str(export.organisation_id)) / (
        f"{export.pk}-{secrets.token_hex(8)}.{export.format}"
    )
    target = root() / relative
    partial = target.with_suffix(target.suffix + PART)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as out:
            beat(rows_total=Source(export.owner, spec, now).count())
            n = write_rows(
                export.owner,
                spec,
                export.format,
                out,
                language=export.language,
                now=now,
                progress=lambda done: beat(rows_done=done),
            )
        os.replace(partial, target)  # a file under its name is always whole
    except Abandoned:
        partial.unlink(missing_ok=True)
        return "given up by the sweeper"
    except Exception as exc:
        log.exception("export %s failed", export.pk)
        partial.unlink(missing_ok=True)
        running.update(status=ExportStatus.FAILED, error=str(exc)[:300], finished_at=timezone.now())
        return f"failed: {exc}"
    if not running.update(
        status=ExportStatus.DONE,
        rows_done=n,
        rows_total=n,
        file_path=str(relative),
        heartbeat_at=timezone.now(),
        finished_at=timezone.now(),
    ):
        target.unlink(missing_ok=True)  # given up a moment ago: the user was told so
        return "given up by the sweeper"
    return f"{n} rows"


def fail_stalled(now: datetime) -> int:
    """Mark failed the running exports whose worker wrote no heartbeat for
    EXPORT_STALE_MINUTES (it died, or its machine did), and remove their partial files
    (run by `leadhub sweep`). Claimed by a conditional UPDATE, like expire_old; a worker
    still alive finds its export no longer running and stops (Abandoned)."""
    cutoff = now - timedelta(minutes=settings.EXPORT_STALE_MINUTES)
    # Exports started before heartbeats existed (migration 0002) count from their start.
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    stalled = Export.objects.filter(silent, status=ExportStatus.RUNNING).values_list(
        "pk", "organisation_id", "format"
    )
    failed = 0
    for pk, org_id, fmt in list(stalled[:1000]):
        if not Export.objects.filter(silent, pk=pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.FAILED, error=WORKER_LOST, finished_at=now
        ):
            continue
        for part in (root() / str(org_id)).glob(f"{pk}-*.{fmt}{PART}"):
            part.unlink(missing_ok=True)
        failed += 1
    return failed


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
