"""External assignments (B6): an enquiry handed to someone outside Leadhub, by e-mail."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class ExternalAssignment(models.Model):
    """The assigner stays responsible; the recipient reads the enquiry through a private
    link (no account) until a newer assignment of the enquiry revokes it."""

    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.CASCADE, related_name="external_assignments"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )  # the one that assigned (the enquiry's owner then)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # when the recipient is a partner without Leadhub users
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField()
    message = models.TextField(blank=True)  # the assigner's words to the recipient
    copy_to_sender = models.BooleanField(default=False)
    secret = models.CharField(max_length=64, unique=True, default=new_secret)
    created_at = models.DateTimeField()
    sent_count = models.PositiveIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enquiry_id} → {self.email}"

    @property
    def recipient(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email
