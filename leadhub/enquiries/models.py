"""Enquiries, their history and the daily number counter."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EnquiryType(models.TextChoices):
    QUOTE = "quote", _("Quote")
    SAMPLE = "sample", _("Sample")
    BROCHURE = "brochure", _("Brochure")
    APPOINTMENT = "appointment", _("Appointment")
    TEST_DRIVE = "test_drive", _("Test drive")
    EVENT = "event", _("Event")
    RELATIONSHIP = "relationship", _("Relationship")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    NEW = "new", _("New")
    OFFERED = "offered", _("Offered to a partner")
    PROCESSING = "processing", _("In progress")
    APPOINTMENT = "appointment", _("Appointment set")
    QUOTE_AGREED = "quote_agreed", _("Quote delivery agreed")
    QUOTE_DELIVERED = "quote_delivered", _("Quote delivered")
    NEGOTIATION = "negotiation", _("Negotiation")
    ON_HOLD = "on_hold", _("On hold")
    QUOTE_ON_HOLD = "quote_on_hold", _("Quote on hold")
    ORDERED = "ordered", _("Order placed")
    CLOSED = "closed", _("Closed")


class ProjectType(models.TextChoices):
    RENOVATION = "renovation", _("Renovation")
    NEW_BUILD = "new_build", _("New build")
    OTHER = "other", _("Other")


class Place(models.TextChoices):
    SHOWROOM = "showroom", _("In a showroom")
    SITE = "site", _("At the customer's site")
    PHONE = "phone", _("By phone")
    EMAIL = "email", _("By e-mail")


class HistoryCategory(models.TextChoices):
    TEXT = "text", _("Enquiry text")
    NOTE = "note", _("Notes")
    ACTION = "action", _("Actions")
    ASSIGNMENT = "assignment", _("Assignments")
    DOCUMENT = "document", _("Documents")
    SYSTEM = "system", _("System")


# Not ordered or closed; states.CLOSED says the same (it imports this module).
OPEN = ~models.Q(status__in=["closed", "ordered"])


class CustomerDecision(models.TextChoices):
    """C11: what became of a won enquiry's contact."""

    IMPORTED = "imported", _("Imported as customer")
    NOT_IMPORTED = "not_imported", _("Closed without import")


class Enquiry(models.Model):
    number = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    type = models.CharField(max_length=16, choices=EnquiryType.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    # The data controller; the brand while it sits with the brand or an offer is pending.
    owner = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="owned_enquiries"
    )
    origin_brand = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="originated_enquiries",
    )
    channel = models.ForeignKey(
        "intake.Channel", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, related_name="enquiries"
    )
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_enquiries",
    )
    assigned_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    # Set when an offer came back (rejected or expired), cleared when someone takes it on.
    returned_at = models.DateTimeField(null=True, blank=True)
    # The pipeline (C1): what reopen returns to, and who closed it.
    last_active_status = models.CharField(max_length=16, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    close_reason_group = models.CharField(max_length=16, blank=True)  # "prospect" or "ours"
    close_reason = models.CharField(max_length=200, blank=True)
    appointment_at = models.DateTimeField(null=True, blank=True)
    appointment_place = models.CharField(max_length=12, choices=Place.choices, blank=True)
    appointment_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Project values (C8): the owner's business; a brand never sees a partner's amounts.
    configuration_number = models.CharField(max_length=64, blank=True)
    quote_number = models.CharField(max_length=64, blank=True)
    quote_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    order_number = models.CharField(max_length=64, blank=True)
    order_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # A6: entered by hand (no channel); the form's key makes a repeated submission a no-op.
    entry_key = models.CharField(max_length=64, blank=True)
    # B10: a partner shares an enquiry it entered itself with one of its brands (read-only).
    shared_with = models.ForeignKey(
        "orgs.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    customer_decision = models.CharField(
        max_length=12, choices=CustomerDecision.choices, blank=True
    )
    text = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    site_street = models.CharField(max_length=200, blank=True)
    site_postal_code = models.CharField(max_length=16, blank=True)
    site_city = models.CharField(max_length=100, blank=True)
    site_province = models.CharField(max_length=40, blank=True)
    site_country = models.CharField(max_length=2, blank=True)
    # The site's country when a site is given, else the contact's: what reports group and
    # filter "by country" by, read from their index alone. Kept by database triggers on
    # both tables (migration 0016), whatever writes them; read it in queries, since a
    # model instance holds what it was given.
    place_country = models.CharField(max_length=2, blank=True, default="", editable=False)
    project_name = models.CharField(max_length=200, blank=True)
    project_type = models.CharField(max_length=12, choices=ProjectType.choices, blank=True)
    referrer_url = models.URLField(max_length=1000, blank=True)
    utm_source = models.CharField(max_length=200, blank=True)
    utm_medium = models.CharField(max_length=200, blank=True)
    utm_campaign = models.CharField(max_length=200, blank=True)
    utm_term = models.CharField(max_length=200, blank=True)
    utm_content = models.CharField(max_length=200, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "enquiries"
        indexes = [
            models.Index(fields=["owner", "due_at", "id"], name="enq_owner_due"),
            models.Index(fields=["owner", "-created_at", "-id"], name="enq_owner_created"),
            models.Index(fields=["owner", "-updated_at", "-id"], name="enq_owner_updated"),
            models.Index(fields=["assigned_user", "due_at", "id"], name="enq_user_due"),
            # Issue 4 (docs/benchmarks.md): the open list (the default) in each sort order,
            # for each part of what a user sees (queries.visible_parts): what the
            # organisation owns, what came through a brand's channels, what is someone's.
            # A page walks each in order; the condition matches `exclude(status__in=CLOSED)`.
            *[
                models.Index(fields=[by, at, "id"], name=f"enq_{name}_open_{sort}", condition=OPEN)
                for by, name in (
                    ("owner", "own"),
                    ("origin_brand", "orig"),
                    ("assigned_user", "usr"),
                )
                for at, sort in (("due_at", "due"), ("created_at", "new"), ("updated_at", "upd"))
            ],
            # The ordered/closed tab, for the same reason: per part, in the default order
            # (the owner's index alone walked its open rows first, 100 ms at a million).
            models.Index(
                fields=["owner", "due_at", "id"], name="enq_own_done_due", condition=~OPEN
            ),
            models.Index(
                fields=["origin_brand", "due_at", "id"], name="enq_orig_done_due", condition=~OPEN
            ),
            # Someone's enquiries at one organisation (OWN rights, "mine", "responsible"):
            # one range, where the owner and user indexes apart need a bitmap AND of both.
            models.Index(fields=["owner", "assigned_user", "due_at", "id"], name="enq_owner_user"),
            # Rare rows the tabs and the page's offers look for, without reading an owner's all.
            models.Index(
                fields=["owner", "due_at", "id"],
                name="enq_queue",
                condition=models.Q(assigned_user__isnull=True, assigned_unit__isnull=True),
            ),
            models.Index(
                fields=["owner", "due_at", "id"],
                name="enq_returned",
                condition=models.Q(returned_at__isnull=False),
            ),
            models.Index(
                fields=["due_at"], name="enq_offered", condition=models.Q(status="offered")
            ),
            # Reports (issue 7, docs/benchmarks.md): a brand's enquiries in a period with
            # what the overview and the quotes report count, read from the index alone.
            models.Index(
                fields=["origin_brand", "created_at"],
                name="enq_report_orig",
                include=[
                    "id",  # samples and brochures join their lines by it
                    "type",
                    "status",
                    "owner",
                    "channel",
                    "assigned_user",
                    "assigned_unit",
                    "quote_number",
                    "quote_amount",
                    "order_number",
                    "order_amount",
                    "appointment_place",
                    "place_country",  # reports by country, the country filter
                ],
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "entry_key"],
                condition=~models.Q(entry_key=""),
                name="one_enquiry_per_entry_key",
            )
        ]

    def __str__(self) -> str:
        return self.number

    # The status as read from the database ("" for a new enquiry): status feedback (F5)
    # notes a change as the difference when the writer saves.
    status_as_loaded = ""

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kw: Any
    ) -> Enquiry:
        instance = super().from_db(db, field_names, values, **kw)
        if "status" in field_names:
            instance.status_as_loaded = instance.status
        return instance

    @property
    def url_number(self) -> str:
        """The number as it appears in URLs (a slash would split the path)."""
        return self.number.replace("/", "-")

    def site_or_contact_place(self) -> tuple[str, str, str]:
        """(postal code, city, country) of the site, else of the contact."""
        if self.site_postal_code or self.site_city:
            return self.site_postal_code, self.site_city, self.site_country
        c = self.contact
        return c.postal_code, c.city, c.country


class HistoryEntry(models.Model):
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    category = models.CharField(max_length=12, choices=HistoryCategory.choices)
    kind = models.CharField(max_length=32)  # machine-readable event name, e.g. "received"
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField()  # plain words for people
    # Set on the brand's internal entries (routing decisions naming other partners and
    # their load, rejection reasons): only that organisation reads them.
    private_to = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)  # e.g. the raw intake payload
    # Notes only (C3): their author may edit or remove them; a removed note stays on
    # record for the audit trail but is no longer shown.
    edited_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "history entries"
        indexes = [
            # The notes a search document reads (search/source.py): without it PostgreSQL
            # ANDs the enquiry's entries with every entry that is not private.
            models.Index(
                fields=["enquiry"],
                condition=models.Q(category="note", removed_at=None, private_to=None),
                name="history_searchable_notes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enquiry_id} {self.kind}"


class DailyCounter(models.Model):
    """Running sequence per calendar day behind enquiry numbers (C9)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class Tag(models.Model):
    """A keyword of an organisation (C5), attached to its enquiries; routing can match it."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(max_length=40)
    enquiries = models.ManyToManyField(Enquiry, related_name="tags", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="tag_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class ReadMark(models.Model):
    """When a user last opened an enquiry (C7): newer changes make it unread for them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="read_marks")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "enquiry"], name="one_read_mark")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.enquiry_id}"
