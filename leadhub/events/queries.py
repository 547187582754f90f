"""Reads of events: who manages which, and the sign-up behind an enquiry."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import Access
from leadhub.orgs.models import User

from .models import Event, EventSignup


def signup_for(access: Access, enquiry: Enquiry) -> EventSignup | None:
    if access is Access.PREVIEW or enquiry.type != "event":
        return None
    return EventSignup.objects.filter(enquiry=enquiry).select_related("event").first()


def is_brand_admin(user: User) -> bool:
    org = user.organisation
    return org is not None and org.is_brand and user.has_role("admin")


def events_for(user: User) -> QuerySet[Event]:
    """Events the user manages: all of their brand for its admins; else the ones they
    organise (as the user, a member of the unit, or an admin of the partner)."""
    if user.organisation_id is None:
        return Event.objects.none()
    seen = Q(organiser_user=user)
    if user.unit_id is not None:
        seen |= Q(organiser_unit_id=user.unit_id)
    if user.has_role("admin"):
        seen |= Q(organiser_partner_id=user.organisation_id)
    if is_brand_admin(user):
        seen |= Q(brand_id=user.organisation_id)
    return Event.objects.filter(seen).select_related(
        "brand", "organiser_user", "organiser_unit", "organiser_partner"
    )


def event_for_user(user: User, event_id: int) -> Event | None:
    return events_for(user).filter(pk=event_id).first()
