"""Who sees an enquiry's item lines: whoever reads the enquiry in full (owner, origin)."""

from __future__ import annotations

from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import Access

from .models import EnquiryItem


def item_lines_for(access: Access, enquiry: Enquiry) -> list[EnquiryItem]:
    if access is Access.PREVIEW:
        return []
    return list(EnquiryItem.objects.filter(enquiry=enquiry).select_related("item"))


def as_dict(line: EnquiryItem) -> dict[str, object]:
    return {
        "sku": line.item.sku,
        "name": line.item.name,
        "kind": line.item.kind,
        "language": line.item.language,
        "quantity": line.quantity,
    }
