"""Documents on an enquiry (C4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Document(models.Model):
    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.CASCADE, related_name="documents"
    )
    # The organisation that uploaded it: the brand's documents stay readable to the brand
    # after a partner took the enquiry over; the partner's are the partner's business.
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)  # as the user named it, made safe (kinds.py)
    content_type = models.CharField(max_length=100)  # sniffed from the bytes
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    favourite = models.BooleanField(default=False)
    # Stored under a random name below MEDIA_ROOT and served only through views that check
    # access (never a public media URL).
    file = models.FileField(upload_to="documents/", max_length=200)
    thumbnail = models.FileField(upload_to="documents/", max_length=200, blank=True)
    # When the thumbnail task ran, with or without a picture: until then the page waits.
    thumbnail_done_at = models.DateTimeField(null=True, blank=True)
    # A removed document stays on record (and on disk) for the audit trail, unseen.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-favourite", "-uploaded_at", "-id"]
        constraints = [
            # The same file twice on an enquiry is one document: uploads are retry-safe.
            models.UniqueConstraint(
                fields=["enquiry", "sha256"],
                condition=Q(removed_at__isnull=True),
                name="document_once_per_enquiry",
            )
        ]

    def __str__(self) -> str:
        return self.filename
