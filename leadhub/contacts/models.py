"""Contacts: the prospective customers behind enquiries, owned by one organisation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    PRIVATE = "private", _("Private person")
    BUSINESS = "business", _("Business")
    PRESCRIBER = "prescriber", _("Prescriber")


class Contact(models.Model):
    owner = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="contacts"
    )
    kind = models.CharField(max_length=12, choices=ContactKind.choices, default="private")
    title = models.CharField(max_length=40, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    company = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)  # normalised, lower-case domain
    phone = models.CharField(max_length=20, blank=True)  # E.164
    language = models.CharField(max_length=8, blank=True)
    street = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=16, blank=True)
    city = models.CharField(max_length=100, blank=True)
    province = models.CharField(max_length=40, blank=True)
    country = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # C11: set when the contact is imported into the owner's customer base.
    customer_number = models.CharField(max_length=32, blank=True)
    customer_since = models.DateTimeField(null=True, blank=True)
    # D2: checked per country with python-stdnum, stored compact (contacts/tax.py).
    vat_number = models.CharField(max_length=32, blank=True)
    national_id = models.CharField(max_length=32, blank=True)
    # The company name folded (contacts/company.py): colleagues share it (decision 0045).
    company_key = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "email"]),
            models.Index(fields=["owner", "phone"]),
            models.Index(
                fields=["owner", "company_key"],
                condition=~models.Q(company_key=""),
                name="contact_company_key",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "customer_number"],
                condition=~models.Q(customer_number=""),
                name="customer_number_per_owner",
            )
        ]

    def __str__(self) -> str:
        return self.full_name() or self.company or self.email

    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)

    def address_line(self) -> str:
        place = " ".join(p for p in (self.postal_code, self.city) if p)
        if self.province:
            place = f"{place} ({self.province})"
        return ", ".join(p for p in (self.street, place, self.country) if p)


class EmailLabel(models.TextChoices):
    WORK = "work", _("Work")
    PRIVATE = "private", _("Private")
    OTHER = "other", _("Other")


class PhoneLabel(models.TextChoices):
    WORK = "work", _("Work")
    PRIVATE = "private", _("Private")
    MOBILE = "mobile", _("Mobile")
    OTHER = "other", _("Other")


class ContactEmail(models.Model):
    """One of a contact's e-mail addresses; position 0 is the primary one, mirrored into
    Contact.email (decision 0044)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    email = models.CharField(max_length=254)  # normalised like Contact.email
    label = models.CharField(max_length=12, choices=EmailLabel.choices, default="work")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "position"], name="contact_email_position")
        ]

    def __str__(self) -> str:
        return self.email


class ContactPhone(models.Model):
    """One of a contact's phone numbers (E.164); position 0 is mirrored into Contact.phone."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    phone = models.CharField(max_length=20)
    label = models.CharField(max_length=12, choices=PhoneLabel.choices, default="work")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "position"], name="contact_phone_position")
        ]

    def __str__(self) -> str:
        return self.phone


class ConsentKind(models.TextChoices):
    MARKETING_EMAIL = "marketing_email", _("Marketing by e-mail")
    MARKETING_PHONE = "marketing_phone", _("Marketing by phone")
    DATA_PROCESSING = "data_processing", _("Data processing")


class Consent(models.Model):
    """A consent given or withdrawn; rows are only added, the latest per kind holds."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    given = models.BooleanField()
    at = models.DateTimeField()
    source = models.CharField(max_length=200)  # e.g. "web form", "phone call"
    actor = models.ForeignKey("orgs.User", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        indexes = [models.Index(fields=["contact", "kind", "at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.given}"


class ContactChange(models.Model):
    """The contact's own log of edits (decision 0044): who changed which fields, never
    the values themselves (personal data stays in one place)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    actor = models.ForeignKey("orgs.User", null=True, blank=True, on_delete=models.SET_NULL)
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20)  # created, edited, emails, phones, consent
    message = models.CharField(max_length=300)
    fields = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["contact", "at"])]

    def __str__(self) -> str:
        return self.message
