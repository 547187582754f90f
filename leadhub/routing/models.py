"""Sales zones, routing rules, offers to partners and absences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Zone(models.Model):
    brand = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="zones")
    key = models.SlugField(max_length=64)
    country = models.CharField(max_length=2)
    postal_codes = models.JSONField(default=list, blank=True)  # "39100", "38*", "39000-39999"
    provinces = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "key"], name="zone_key_per_brand")]

    def __str__(self) -> str:
        return self.key


class Rule(models.Model):
    brand = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="rules")
    key = models.SlugField(max_length=64)
    order = models.IntegerField()
    when = models.JSONField(default=dict, blank=True)
    then = models.JSONField(default=dict)

    class Meta:
        ordering = ["brand", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["brand", "key"], name="rule_key_per_brand")]

    def __str__(self) -> str:
        return self.key


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Offer(models.Model):
    """The brand's hand-off of an enquiry to a partner (B4); also the responsiveness record."""

    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.CASCADE, related_name="offers"
    )
    partner = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="offers"
    )
    rule_key = models.CharField(max_length=64, blank=True)  # empty when offered by hand
    status = models.CharField(max_length=12, choices=OfferStatus.choices, default="pending")
    created_at = models.DateTimeField()
    deadline_at = models.DateTimeField()
    deadline = models.OneToOneField(
        "sla.Deadline", on_delete=models.PROTECT, null=True, blank=True, related_name="offer"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    # Reports (F1, decision 0040): the brand that offered it (so reports need no join), the
    # reaction time in the partner's working seconds (stored once, when decided) and when
    # the accepting partner first worked the enquiry further.
    brand = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    working_seconds = models.PositiveIntegerField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # At most one pending offer per enquiry: an enquiry is never with two partners.
            models.UniqueConstraint(
                fields=["enquiry"], condition=Q(status="pending"), name="one_pending_offer"
            )
        ]
        indexes = [
            models.Index(fields=["partner", "status"], name="offer_partner_status"),
            models.Index(fields=["rule_key", "partner", "-created_at"], name="offer_rule_recent"),
            # The responsiveness report: a brand's offers, or a partner's, in a period; with
            # what it counts included, so PostgreSQL reads the index only (decision 0040).
            models.Index(
                fields=["brand", "created_at"],
                name="offer_brand_created",
                include=["partner", "status", "working_seconds", "processed_at"],
            ),
            models.Index(
                fields=["partner", "created_at"],
                name="offer_partner_created",
                include=["brand", "status", "working_seconds", "processed_at"],
            ),
        ]

    def __str__(self) -> str:
        return f"offer of {self.enquiry_id} to {self.partner_id} ({self.status})"


class Absence(models.Model):
    """A user is away (B8): a date range, or recurring weekdays; a substitute stands in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences"
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)  # inclusive
    weekdays = models.JSONField(default=list, blank=True)  # e.g. ["fri"]: every Friday
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"absence of {self.user_id}"
