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

    class Meta:
        indexes = [
            models.Index(fields=["owner", "email"]),
            models.Index(fields=["owner", "phone"]),
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
