"""Reads of enquiries. Every read starts here, so access rules live in one place."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from leadhub.orgs.models import User

from .models import Enquiry, HistoryEntry


def visible_enquiries(user: User) -> QuerySet[Enquiry]:
    """What `user` may see: its organisation's own enquiries (DESIGN "Data ownership")."""
    if not user.is_authenticated or user.organisation_id is None:
        return Enquiry.objects.none()
    return Enquiry.objects.filter(owner_id=user.organisation_id)


def enquiry_for_user(user: User, number: str) -> Enquiry:
    """The enquiry `number` if `user` may see it; 404 otherwise, never 403 (no existence leak)."""
    enquiry = (
        visible_enquiries(user)
        .select_related("contact", "channel", "owner", "origin_brand", "assigned_user")
        .filter(number=number)
        .first()
    )
    if enquiry is None:
        raise Http404("No such enquiry.")
    return enquiry


def history_for_user(user: User, enquiry: Enquiry) -> QuerySet[HistoryEntry]:
    # `enquiry` came from enquiry_for_user, so the user may read its whole history.
    return enquiry.history.select_related("actor", "organisation").order_by("at", "id")


def counters(user: User) -> dict[str, int]:
    """Counts for the list's tabs."""
    mine = visible_enquiries(user).filter(assigned_user=user).count()
    total = visible_enquiries(user).count()
    queue = visible_enquiries(user).filter(assigned_user__isnull=True).count()
    return {"all": total, "mine": mine, "queue": queue}
