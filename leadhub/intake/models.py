"""Intake channels of a brand and the receipts that make deliveries idempotent."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class ChannelKind(models.TextChoices):
    """Each kind is a folder under intake/channels/ (docs/intake.md)."""

    WEBHOOK = "webhook", "JSON webhook / web form"
    META_LEAD_ADS = "meta_lead_ads", "Meta lead ads"
    CALENDLY = "calendly", "Calendly bookings"
    ADF = "adf", "ADF XML (HTTP or e-mail)"
    REFERRAL = "referral", "Broker referral forms"
    ERP = "erp", "ERP quotes and orders"
    EVENT = "event", "Event sign-ups"


class Channel(models.Model):
    key = models.SlugField(max_length=64, unique=True)  # appears in the intake URL
    brand = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="channels"
    )
    kind = models.CharField(max_length=16, choices=ChannelKind.choices, default="webhook")
    # Shared secret: a bearer token and the HMAC key, so it is kept, not hashed.
    token = models.CharField(max_length=200)
    # What the kind needs besides the token (a vendor's signing key, a field mapping...),
    # validated by the kind's settings model (intake/channels/registry.py).
    settings = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.key


class IntakeReceipt(models.Model):
    """One accepted delivery. Its unique keys make a repeat return the first answer."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="receipts")
    # NULL, not "", so the partial unique constraints below skip deliveries without one.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    external_id = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    body_digest = models.CharField(max_length=64)  # SHA-256 of the request body
    enquiry = models.ForeignKey("enquiries.Enquiry", on_delete=models.CASCADE, related_name="+")
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="receipt_unique_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=Q(external_id__isnull=False),
                name="receipt_unique_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}:{self.idempotency_key or self.external_id}"


class RejectedDelivery(models.Model):
    """A delivery an authenticated channel sent that was refused: kept for the brand's
    admins to inspect (and fix the sender), then purged after REJECTED_KEEP_DAYS."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="rejections")
    received_at = models.DateTimeField()
    content_type = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)  # as received (decoded with replacement characters)
    reason = models.CharField(max_length=500)
    errors = models.JSONField(default=list, blank=True)  # [{"field", "message"}]

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["channel", "received_at"], name="rejected_by_channel")]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.received_at:%Y-%m-%d %H:%M}: {self.reason}"
