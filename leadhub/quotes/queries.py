"""Who sees quotes: the enquiry's owner only (F3: a brand never sees a partner's amounts)."""

from __future__ import annotations

from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import Access
from leadhub.orgs.models import User

from .models import Quote


def quotes_for(user: User, access: Access, enquiry: Enquiry) -> list[Quote]:
    if access is not Access.OWNER or user.organisation_id is None:
        return []
    return list(Quote.objects.filter(enquiry=enquiry, organisation_id=user.organisation_id))


def as_dict(q: Quote) -> dict[str, object]:
    return {
        "kind": q.kind,
        "number": q.number,
        "amount": q.amount,
        "currency": q.currency,
        "date": q.date,
        "main": q.main,
        "source": q.source,
        "external_id": q.external_id,
    }
