"""Item lines of a new enquiry (A8), stored inside the intake transaction."""

from __future__ import annotations

from collections.abc import Sequence

from leadhub.enquiries.models import Enquiry
from leadhub.intake.leaddata import FieldError, IntakeError, ItemRequest

from .models import CatalogueItem, EnquiryItem


def add_item_lines(enquiry: Enquiry, items: Sequence[ItemRequest]) -> None:
    """One line per requested item of the brand's catalogue. An unknown or withdrawn SKU
    refuses the whole delivery (IntakeError, by path items[n].sku): the caller's
    transaction rolls back. Without items: no statement at all (the intake budget)."""
    if not items:
        return
    brand_id = enquiry.origin_brand_id or enquiry.owner_id
    found = {
        i.sku: i
        for i in CatalogueItem.objects.filter(brand_id=brand_id, sku__in=[r.sku for r in items])
    }
    errors = [
        FieldError(f"items[{n}].sku", _problem(r.sku, found.get(r.sku)))
        for n, r in enumerate(items)
        if r.sku not in found or not found[r.sku].active
    ]
    if errors:
        raise IntakeError(errors)
    EnquiryItem.objects.bulk_create(
        EnquiryItem(enquiry=enquiry, item=found[r.sku], quantity=r.quantity) for r in items
    )


def _problem(sku: str, item: CatalogueItem | None) -> str:
    if item is None:
        return f"{sku!r} is not in the brand's catalogue"
    return f"{sku!r} is no longer available"
