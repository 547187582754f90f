"""Deadlines: rows with a due instant, fired once by the sweeper (survive restarts)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Deadline(models.Model):
    kind = models.CharField(max_length=32)  # which handler fires it, see sla.sweeper.HANDLERS
    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.CASCADE, related_name="deadlines"
    )
    due_at = models.DateTimeField()
    fired_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["due_at"],
                name="deadline_pending_due",
                condition=Q(fired_at__isnull=True, cancelled_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.enquiry_id} at {self.due_at:%Y-%m-%d %H:%M}"
