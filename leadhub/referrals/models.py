"""Referral forms, their private links, referrals, their documents and messages (A5, E4)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class ReferralForm(models.Model):
    """One form of a brand for one project ("investment"), usually one per broker agency:
    its name is the referral's source (what the brand called the form it sent)."""

    brand = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="referral_forms"
    )
    # The intake channel (kind "referral") accepted referrals enter through: routing
    # rules can match it, and its receipts make acceptance idempotent.
    channel = models.ForeignKey("intake.Channel", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    project = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "name"], name="referral_form_name_per_brand")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.project})"


class ReferralLink(models.Model):
    """The private address a broker opens (no account). Valid until revoked; the brand
    revokes it and makes a new one when it leaked or the broker changed."""

    form = models.ForeignKey(ReferralForm, on_delete=models.CASCADE, related_name="links")
    secret = models.CharField(max_length=64, unique=True, default=new_secret)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"link {self.pk} of form {self.form_id}"


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Referral(models.Model):
    """A client a broker referred. Kept apart from enquiries until the brand accepts it;
    accepting makes the contact and the enquiry (decision 0030)."""

    brand = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    form = models.ForeignKey(ReferralForm, on_delete=models.PROTECT, related_name="referrals")
    link = models.ForeignKey(ReferralLink, on_delete=models.PROTECT, related_name="referrals")
    # A random key rendered into the form: the same form sent twice is one referral.
    form_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=8, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The client, as the broker gave them (validated and normalised).
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    phone = models.CharField(max_length=20, blank=True)  # E.164
    email = models.CharField(max_length=254, blank=True)
    # The duplicate check's lookup: the mailbox by its provider's rule, as contacts' keys.
    email_key = models.CharField(max_length=254, blank=True)
    national_id = models.CharField(max_length=11, blank=True)  # PESEL
    id_card = models.CharField(max_length=9, blank=True)  # Polish identity card
    note = models.TextField(blank=True)  # the broker's words about the client
    # The broker (the agency's advisor who referred the client).
    broker_name = models.CharField(max_length=200)
    broker_email = models.CharField(max_length=254)
    broker_phone = models.CharField(max_length=20, blank=True)
    # Set on acceptance: the enquiry (and so the contact) made from this referral.
    enquiry = models.OneToOneField(
        "enquiries.Enquiry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["brand", "status", "-created_at"], name="referral_by_status"),
            models.Index(fields=["brand", "national_id"], name="referral_by_pesel"),
            models.Index(fields=["brand", "phone"], name="referral_by_phone"),
            models.Index(fields=["brand", "email"], name="referral_by_email"),
            models.Index(fields=["brand", "email_key"], name="referral_by_email_key"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["form", "form_key"], name="referral_once_per_form_key")
        ]

    def __str__(self) -> str:
        return f"{self.pk}: {self.client_name}"

    @property
    def client_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ReferralDocument(models.Model):
    """A file the broker attached; copied onto the enquiry when the referral is accepted."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="documents")
    uploaded_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)  # made safe (documents.kinds)
    content_type = models.CharField(max_length=100)  # sniffed from the bytes
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Under a random name below MEDIA_ROOT, served only through views that check access.
    file = models.FileField(upload_to="referrals/", max_length=200)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "sha256"], name="referral_document_once")
        ]

    def __str__(self) -> str:
        return self.filename


class MessageKind(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    MESSAGE = "message", _("Message")


class ReferralMessage(models.Model):
    """The thread with the broker: decisions with their comment, and free messages. Each
    is e-mailed to the broker (G2) by a task; `sent_at` says when it went out."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=8, choices=MessageKind.choices)
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_to = models.CharField(max_length=254)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on referral {self.referral_id}"
