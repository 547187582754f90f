"""What the reports share: the organisation's enquiries under the filters, in a period."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from leadhub.enquiries.models import Enquiry
from leadhub.orgs.models import Organisation

from .filters import Filters, in_period, matching
from .periods import Period
from .scope import enquiries_of


def enquiries(org: Organisation, f: Filters, period: Period) -> QuerySet[Enquiry]:
    return enquiries_of(org).filter(matching(f), in_period(f, period))


def periods(f: Filters) -> list[Period]:
    """The period, and the one before it when comparing."""
    return [f.period, f.period.previous()] if f.compare else [f.period]


def country(prefix: str = "") -> F:
    """The site's country when a site is given, else the contact's (filters.place), as
    the database keeps it on the enquiry (Enquiry.place_country)."""
    return F(f"{prefix}place_country")


QUOTED = Q(status__in=["quote_delivered", "negotiation", "quote_on_hold", "ordered"]) | ~Q(
    quote_number=""
)
ORDERED = Q(status="ordered") | ~Q(order_number="")
