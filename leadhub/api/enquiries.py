"""Enquiries through the API: list and detail, and the helpers the action modules share.

Actions register on the same router: api/handoff.py (offers, routing), api/work.py
(pipeline, notes)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from leadhub.enquiries.models import Enquiry, EnquiryType
from leadhub.enquiries.models import Status as EnquiryStatus
from leadhub.enquiries.pagination import BadCursor, paginate
from leadhub.enquiries.queries import (
    Access,
    access_of,
    actions_for,
    enquiry_for_user,
    history_for_user,
    pending_offer_of,
    visible_enquiries,
    with_pending_offer,
)
from leadhub.enquiries.reading import mark_read
from leadhub.enquiries.states import CLOSED
from leadhub.enquiries.tags import tags_of
from leadhub.orgs.models import User

from .auth import current_user, user_auth
from .schemas import (
    EnquiryDetailOut,
    EnquiryPageOut,
    ErrorOut,
)
from .serialise import detail, summary

router = Router(tags=["enquiries"], auth=user_auth)


class ListFilters(Schema):
    status: EnquiryStatus | None = None
    type: EnquiryType | None = None
    mine: bool = False
    returned: bool = False
    tag: str | None = None
    sort: str = "due"  # "due" (due date, empty last) or "newest"
    done: bool | None = None  # true: ordered or closed; false: still open; unset: both
    cursor: str | None = None
    limit: int = 50


@router.get("", response={200: EnquiryPageOut, 400: ErrorOut}, summary="List enquiries")
def list_enquiries(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, object]:
    user = current_user(request)
    qs = with_pending_offer(
        visible_enquiries(user).select_related("contact", "channel", "owner", "assigned_user")
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.mine:
        qs = qs.filter(assigned_user=user)
    if filters.tag:
        qs = qs.filter(tags__organisation=user.organisation, tags__name=filters.tag)
    if filters.done is not None:
        qs = qs.filter(status__in=CLOSED) if filters.done else qs.exclude(status__in=CLOSED)
    if filters.returned:
        qs = qs.filter(returned_at__isnull=False, owner_id=user.organisation_id)
    if not 1 <= filters.limit <= 200:
        raise HttpError(400, "limit must be between 1 and 200")
    try:
        page = paginate(qs, sort=filters.sort, cursor=filters.cursor, limit=filters.limit)
    except BadCursor as exc:
        raise HttpError(400, str(exc)) from exc
    items = [summary(e, access_of(user, e), pending_offer_of(e)) for e in page.items]
    return {"items": items, "next_cursor": page.next_cursor}


NUMBER = "/{enquirynumber:number}"


@router.get(NUMBER, response={200: EnquiryDetailOut, 404: ErrorOut}, summary="One enquiry")
def get_enquiry(request: HttpRequest, number: str) -> dict[str, object]:
    """Full detail for the owner; the anonymised preview while an offer to you is pending."""
    user = current_user(request)
    enquiry, access = enquiry_for_user(user, number)
    return detail_for(user, enquiry, access)


def detail_for(user: User, enquiry: Enquiry, access: Access) -> dict[str, object]:
    """The detail as `user` may see it; reading it marks it read for them (C7)."""
    mark_read(user, enquiry, timezone.now())
    history = list(history_for_user(user, enquiry, access))
    tags = tags_of(enquiry, user) if access is not Access.PREVIEW else []
    return detail(
        enquiry,
        access,
        history,
        pending_offer_of(enquiry),
        actions_for(user, access, enquiry),
        tags,
    )


def refusal(access: Access) -> Status[dict[str, str]]:
    if access is Access.PREVIEW:
        return Status(403, {"detail": "Your role may not accept or reject offers."})
    return Status(403, {"detail": "This action is not yours to take on this enquiry."})
