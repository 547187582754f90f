"""Exports of the enquiry list (F4) that run as a task: what was asked, how far it got,
and where the file is until it expires (decision 0043)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel (xlsx)"
    CSV = "csv", "CSV"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


# `error` of an export the sweeper found without a heartbeat: shown as WORKER_LOST_TEXT.
WORKER_LOST = "worker lost"
WORKER_LOST_TEXT = _(
    "Interrupted: the server stopped preparing this file before it was done. Start it again."
)


class Export(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(max_length=4, choices=ExportFormat.choices)
    # The list's filters, sort and whether offers come first (exports/source.py's Spec).
    filters = models.JSONField(default=dict)
    language = models.CharField(max_length=8)  # headers, labels, CSV separator
    status = models.CharField(
        max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file_path = models.CharField(max_length=300, blank=True)  # relative to EXPORT_ROOT
    error = models.CharField(max_length=300, blank=True)
    # A repeated request (double click, API retry with the same Idempotency-Key) finds
    # the export it already started instead of starting another.
    request_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written by the worker with every progress update (decision 0053): a running export
    # whose heartbeat is older than EXPORT_STALE_MINUTES lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="export_owner_created"),
            models.Index(
                fields=["finished_at"],
                name="export_to_expire",
                condition=models.Q(status__in=["done", "failed"]),
            ),
            models.Index(
                fields=["heartbeat_at"],
                name="export_running",
                condition=models.Q(status="running"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "request_key"],
                condition=~models.Q(request_key=""),
                name="one_export_per_request_key",
            )
        ]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.format}, {self.status})"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == ExportStatus.DONE else 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def reason(self) -> str:
        """Why it failed, as the owner reads it on My exports."""
        return str(WORKER_LOST_TEXT) if self.error == WORKER_LOST else self.error

    @property
    def filename(self) -> str:
        return f"enquiries-{timezone.localtime(self.created_at):%Y%m%d-%H%M}.{self.format}"
