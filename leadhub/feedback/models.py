"""Where a brand wants status changes of its enquiries, and the outbox of those changes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackEndpoint(models.Model):
    """The brand's URL for status feedback and the secret its deliveries are signed with."""

    brand = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="feedback_endpoint"
    )
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.brand_id} → {self.url}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")  # gave up retrying; an admin resends it


class FeedbackEvent(models.Model):
    """One status change, written in the transaction that made it (so it exists if and
    only if the change does) and delivered at least once, in id order per enquiry."""

    brand = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.CASCADE, related_name="feedback_events"
    )
    created_at = models.DateTimeField()
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default="pending")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="feedback_due"),
            models.Index(fields=["enquiry", "state", "id"], name="feedback_per_enquiry"),
        ]

    def __str__(self) -> str:
        return f"{self.enquiry_id} #{self.pk} {self.state}"
