"""Take over an enquiry (B7): a privileged user makes it theirs; the previous owner is told."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from leadhub.notifications.models import Notice
from leadhub.orgs.models import User
from leadhub.search import index as search_index

from .history import record
from .models import Enquiry, HistoryCategory
from .queries import DISPATCH_ROLES, Access
from .states import WORKABLE


class TakeOverRefused(ValueError):
    pass


def may_take_over(user: User, access: Access, enquiry: Enquiry) -> bool:
    return (
        access is Access.OWNER
        and user.has_role(*DISPATCH_ROLES)  # those who dispatch may take over
        and enquiry.status in WORKABLE
        and enquiry.assigned_user_id not in (None, user.pk)
    )


@transaction.atomic
def take_over(enquiry: Enquiry, *, by: User, now: datetime) -> Enquiry:
    enquiry = (
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("assigned_user")
        .get(pk=enquiry.pk)
    )
    previous = enquiry.assigned_user
    if previous is None or previous == by or enquiry.owner_id != by.organisation_id:
        raise TakeOverRefused("There is nobody to take this enquiry over from.")
    enquiry.assigned_user, enquiry.assigned_unit, enquiry.updated_at = by, by.unit, now
    enquiry.save(update_fields=["assigned_user", "assigned_unit", "updated_at"])
    search_index.refresh([enquiry.pk])
    record(
        enquiry,
        category=HistoryCategory.ASSIGNMENT,
        kind="taken_over",
        message=f"Taken over by {by.display_name()} from {previous.display_name()}.",
        actor=by,
    )
    Notice.objects.create(
        user=previous,
        enquiry=enquiry,
        message=f"{by.display_name()} took over enquiry {enquiry.number}.",
        created_at=now,
    )
    return enquiry
