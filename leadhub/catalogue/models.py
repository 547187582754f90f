"""A brand's catalogue of samples and brochures (A8) and the item lines of enquiries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    SAMPLE = "sample", _("Sample")
    BROCHURE = "brochure", _("Brochure")


class CatalogueItem(models.Model):
    brand = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="catalogue_items"
    )
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=ItemKind.choices)
    language = models.CharField(max_length=8, blank=True)  # brochures: the edition's language
    # Withdrawn items stay for the enquiries that asked for them; new ones cannot.
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "name", "sku"]
        constraints = [models.UniqueConstraint(fields=["brand", "sku"], name="sku_per_brand")]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class EnquiryItem(models.Model):
    """One line of a sample or brochure request: an item and how many."""

    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.CASCADE, related_name="item_lines"
    )
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["enquiry", "item"], name="one_line_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.item_id}"
