"""Quotes and orders an organisation's ERP links to an enquiry (A7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuoteKind(models.TextChoices):
    QUOTE = "quote", _("Quote")
    ORDER = "order", _("Order")


class Quote(models.Model):
    """One quote or order. Per enquiry and kind one is the main one, which the enquiry's
    own quote/order fields mirror (and reports count); the others are alternatives."""

    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.CASCADE, related_name="quotes"
    )
    # Whose ERP sent it: the enquiry's owner at the time. Only that organisation sees it.
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    channel = models.ForeignKey(
        "intake.Channel", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=QuoteKind.choices)
    number = models.CharField(max_length=64)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    date = models.DateField(null=True, blank=True)
    main = models.BooleanField(default=False)
    source = models.CharField(max_length=200)  # "api" or the imported file's name
    external_id = models.CharField(max_length=200, blank=True)  # the ERP's own id, if sent
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-kind", "-main", "date", "id"]  # quotes, then orders; main first
        constraints = [
            # The import's idempotency key: re-importing a row finds this quote again.
            models.UniqueConstraint(fields=["enquiry", "number", "kind"], name="quote_once"),
            models.UniqueConstraint(
                fields=["enquiry", "kind"], condition=models.Q(main=True), name="one_main_quote"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"
