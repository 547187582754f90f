"""Enquiries through the API: list and detail, and the helpers the action modules share.

Actions register on the same router: api/handoff.py (offers, routing), api/work.py
(pipeline, notes)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from leadhub.contacts.models import ContactKind
from leadhub.enquiries.listing import BadFilter, ListFilters, listed
from leadhub.enquiries.models import Enquiry, EnquiryType
from leadhub.enquiries.models import Status as EnquiryStatus
from leadhub.enquiries.pagination import SORTS, BadCursor, paginate
from leadhub.enquiries.queries import (
    Access,
    access_of,
    actions_for,
    enquiry_for_user,
    history_for_user,
    pending_offer_of,
    with_pending_offer,
)
from leadhub.enquiries.reading import mark_read
from leadhub.enquiries.tags import tags_of
from leadhub.lib.sql import custom_plans
from leadhub.orgs.models import User

from .auth import current_user, user_auth
from .extras import extras
from .schemas import (
    EnquiryDetailOut,
    EnquiryPageOut,
    ErrorOut,
)
from .serialise import detail, summary

router = Router(tags=["enquiries"], auth=user_auth)


class ListFilterQuery(Schema):
    """The list's filters and order; exports (api/exports.py) take the same."""

    status: EnquiryStatus | None = None
    type: EnquiryType | None = None
    contact_kind: ContactKind | None = None
    responsible: str | None = None  # "me", "none", a user id or "unit-<id>"
    due: str | None = None  # "overdue", "today", "week" (next 7 days) or "none"
    mine: bool = False
    unread: bool = False
    unassigned: bool = False
    returned: bool = False
    tag: str | None = None
    # due (empty last), -due, created, -created (= newest), updated, -updated
    sort: str = "due"
    done: bool | None = None  # true: ordered or closed; false: still open; unset: both


class ListQuery(ListFilterQuery):
    cursor: str | None = None
    limit: int = 50


def list_filters(query: ListFilterQuery) -> ListFilters:
    """The query's filters, checked: 400 with the reason for a value that names nothing."""
    filters = ListFilters(
        done=query.done,
        mine=query.mine,
        unread=query.unread,
        queue=query.unassigned,
        returned=query.returned,
        contact_kind=query.contact_kind or "",
        type=query.type or "",
        status=query.status or "",
        responsible=query.responsible or "",
        due=query.due or "",
        tag=query.tag or "",
    )
    if query.sort not in SORTS:
        raise HttpError(400, f"sort must be one of: {', '.join(SORTS)}")
    try:
        filters.check()
    except BadFilter as exc:
        raise HttpError(400, str(exc)) from exc
    return filters


@router.get("", response={200: EnquiryPageOut, 400: ErrorOut}, summary="List enquiries")
def list_enquiries(request: HttpRequest, query: Query[ListQuery]) -> dict[str, object]:
    user = current_user(request)
    if not 1 <= query.limit <= 200:
        raise HttpError(400, "limit must be between 1 and 200")
    filters = list_filters(query)
    try:
        with custom_plans():  # lib/sql.py: a generic plan may sort a brand's whole list
            qs, parts = listed(user, filters, timezone.now())
            page = paginate(
                with_pending_offer(
                    qs.select_related("contact", "channel", "owner", "assigned_user")
                ),
                sort=query.sort,
                cursor=query.cursor,
                limit=query.limit,
                parts=parts,
            )
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
    ) | extras(user, access, enquiry)


def refusal(access: Access) -> Status[dict[str, str]]:
    return Status(403, {"detail": _refusal_detail(access)})


def _refusal_detail(access: Access) -> str:
    if access is Access.PREVIEW:
        return "Your role may not accept or reject offers."
    return "This action is not yours to take on this enquiry."


def acting_on(
    request: HttpRequest, number: str, allowed: Callable[[User, Access, Enquiry], bool]
) -> tuple[User, Enquiry, Access]:
    """The user and the enquiry `number` if `allowed` for them: 404 when they may not see it
    at all (decision 0006), 403 with the reason when they see it but may not do this."""
    user = current_user(request)
    enquiry, access = enquiry_for_user(user, number)
    if not allowed(user, access, enquiry):
        raise HttpError(403, _refusal_detail(access))
    return user, enquiry, access
