"""Whose enquiries a report counts (F3, decision 0039).

A brand counts the enquiries that came to it: through its channels or entered by its own
people (origin_brand), wherever they went since; it sums amounts only of those it still
owns (never a partner's). A partner counts everything it owns, amounts included. Nobody
counts another organisation's: a user without a reporting role, or without an
organisation, gets 404 like any other page they may not see.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from leadhub.enquiries.models import Enquiry
from leadhub.orgs.models import Organisation, User

REPORT_ROLES = ("admin", "manager", "dispatcher")


def reporting_org(user: User) -> Organisation:
    """The organisation whose reports `user` may read; Http404 otherwise."""
    if not user.is_authenticated or user.organisation is None:
        raise Http404
    if not user.has_role(*REPORT_ROLES):
        raise Http404
    return user.organisation


def enquiries_of(org: Organisation) -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(counted_by(org))


def counted_by(org: Organisation, prefix: str = "") -> Q:
    """enquiries_of as a condition; `prefix` "enquiry__" for rows joined to enquiries."""
    if org.is_brand:
        return Q(**{f"{prefix}origin_brand_id": org.pk})
    return Q(**{f"{prefix}owner_id": org.pk})


def amounts_of(org: Organisation, prefix: str = "") -> Q:
    """Which of `enquiries_of(org)` may have their amounts summed: the brand's own only."""
    if org.is_brand:
        return Q(**{f"{prefix}owner_id": org.pk})
    return Q()
