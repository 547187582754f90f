"""Events of a brand (A9): landing-page sign-ups go to the organiser, who can share the
participant list through a private link."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class Event(models.Model):
    brand = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="events")
    key = models.SlugField(max_length=64)  # what the landing page sends as `event`
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    # The organiser, exactly one: a user or a unit of the brand, or a partner.
    organiser_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organiser_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organiser_partner = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    capacity = models.PositiveIntegerField(null=True, blank=True)  # participants; None: open
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "key"], name="event_key_per_brand"),
            models.CheckConstraint(
                condition=(
                    Q(organiser_user__isnull=False, organiser_unit=None, organiser_partner=None)
                    | Q(organiser_user=None, organiser_unit__isnull=False, organiser_partner=None)
                    | Q(organiser_user=None, organiser_unit=None, organiser_partner__isnull=False)
                ),
                name="event_one_organiser",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organiser_name(self) -> str:
        if self.organiser_user is not None:
            return self.organiser_user.display_name()
        if self.organiser_unit is not None:
            return self.organiser_unit.name
        assert self.organiser_partner is not None
        return self.organiser_partner.name


class EventSignup(models.Model):
    """The event side of a sign-up enquiry (type event)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="signups")
    enquiry = models.OneToOneField(
        "enquiries.Enquiry", on_delete=models.CASCADE, related_name="event_signup"
    )
    participants = models.PositiveSmallIntegerField(default=1)
    participant_name = models.CharField(max_length=200, blank=True)  # when not the contact
    waitlisted = models.BooleanField(default=False)  # arrived when the event was full
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.enquiry_id}"


class ParticipantLink(models.Model):
    """Whoever has the link reads the event's participant list, until it is revoked."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="links")
    secret = models.CharField(max_length=64, unique=True, default=new_secret)
    label = models.CharField(max_length=200, blank=True)  # for whom, e.g. "the event agency"
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"link to {self.event_id}"
