"""Reading enquiries through the API: the same access rules as the web pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from leadhub.enquiries.models import EnquiryType, Status
from leadhub.enquiries.pagination import BadCursor, by_due_date
from leadhub.enquiries.queries import enquiry_for_user, history_for_user, visible_enquiries

from .auth import current_user, user_auth
from .schemas import EnquiryDetailOut, EnquiryPageOut, ErrorOut
from .serialise import detail, summary

router = Router(tags=["enquiries"], auth=user_auth)


class ListFilters(Schema):
    status: Status | None = None
    type: EnquiryType | None = None
    mine: bool = False
    cursor: str | None = None
    limit: int = 50


@router.get("", response={200: EnquiryPageOut, 400: ErrorOut}, summary="List enquiries")
def list_enquiries(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, object]:
    user = current_user(request)
    qs = visible_enquiries(user).select_related("contact", "channel", "owner", "assigned_user")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.mine:
        qs = qs.filter(assigned_user=user)
    if not 1 <= filters.limit <= 200:
        raise HttpError(400, "limit must be between 1 and 200")
    try:
        page = by_due_date(qs, cursor=filters.cursor, limit=filters.limit)
    except BadCursor as exc:
        raise HttpError(400, str(exc)) from exc
    return {"items": [summary(e) for e in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/{enquirynumber:number}",
    response={200: EnquiryDetailOut, 404: ErrorOut},
    summary="One enquiry with its contact and history",
)
def get_enquiry(request: HttpRequest, number: str) -> dict[str, object]:
    user = current_user(request)
    enquiry = enquiry_for_user(user, number)
    return detail(enquiry, list(history_for_user(user, enquiry)))
