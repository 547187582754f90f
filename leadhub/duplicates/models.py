"""Duplicates (D1): the match keys of contacts, checks waiting for the worker, the
candidates found, decisions (not duplicates) and merges that can be undone."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContactKey(models.Model):
    """An exact key of a contact (keys.py): looked up by (kind, value) through an index."""

    EMAIL = "email"
    PHONE = "phone"
    NATIONAL_ID = "national_id"

    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12)
    value = models.CharField(max_length=254)

    class Meta:
        indexes = [models.Index(fields=["kind", "value"], name="dup_key_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["contact", "kind", "value"], name="dup_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class ContactName(models.Model):
    """A contact's folded name and postal code: the fuzzy path. On PostgreSQL the postal
    code's rows (btree) are filtered by pg_trgm's similarity() (decision 0052)."""

    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    postal_code = models.CharField(max_length=16)

    class Meta:
        indexes = [models.Index(fields=["postal_code"], name="dup_name_postal")]

    def __str__(self) -> str:
        return self.name


class Occasion(models.TextChoices):
    INTAKE = "intake", _("At intake")
    ACCEPT = "accept", _("When a partner accepted")


class PendingCheck(models.Model):
    """Written in the transaction that takes an enquiry in (or accepts it); the worker
    (`leadhub check_duplicates`) runs the check for `organisation` and sets done_at."""

    enquiry = models.ForeignKey("enquiries.Enquiry", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    occasion = models.CharField(max_length=8, choices=Occasion.choices)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["id"], name="dup_pending", condition=models.Q(done_at=None))
        ]

    def __str__(self) -> str:
        return f"{self.enquiry_id} {self.occasion}"


class Decision(models.TextChoices):
    OPEN = "", _("Waiting for a decision")
    LINKED = "linked", _("Linked")
    MERGED = "merged", _("Merged")
    APART = "apart", _("Not a duplicate")


class Candidate(models.Model):
    """A possible duplicate of an enquiry's contact, for one organisation: a contact of
    that organisation (with its newest open enquiry, if any) or one of its referrals."""

    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.CASCADE, related_name="duplicate_candidates"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    open_enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)
    found_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-score", "id"]
        indexes = [
            models.Index(fields=["enquiry", "organisation"], name="dup_cand_enquiry"),
            models.Index(
                fields=["organisation", "-found_at"],
                name="dup_cand_open",
                condition=models.Q(decision=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enquiry_id} ~ {self.contact_id or self.referral_id} ({self.score})"

    @property
    def kind(self) -> str:
        if self.referral_id:
            return "referral"
        return "enquiry" if self.open_enquiry_id else "contact"


class KeptApart(models.Model):
    """ "Not duplicates", remembered: the pair is never suggested again. The contact pair
    is stored lower id first; a referral pair has `referral` instead of `other`."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "other"],
                condition=models.Q(other__isnull=False),
                name="dup_apart_contacts",
            ),
            models.UniqueConstraint(
                fields=["contact", "referral"],
                condition=models.Q(referral__isnull=False),
                name="dup_apart_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} / {self.other_id or self.referral_id}"


class Merge(models.Model):
    """One contact merged into another, with what moved (ids) and which empty fields of
    the kept contact were filled (old values): enough to undo it exactly."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kept = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="+")
    merged = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="+")
    moved = models.JSONField(default=dict)  # {"enquiries": [...], "emails": [...], ...}
    filled = models.JSONField(default=dict)  # field -> value taken from `merged`
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            # One live merge per merged contact: a retried merge finds it and does nothing.
            models.UniqueConstraint(
                fields=["merged"], condition=models.Q(undone_at=None), name="dup_merge_live"
            )
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.kept_id}"
