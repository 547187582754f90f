"""Enquiries through the API: the same access rules and actions as the web pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from leadhub.enquiries.models import Enquiry, EnquiryType
from leadhub.enquiries.models import Status as EnquiryStatus
from leadhub.enquiries.pagination import BadCursor, by_due_date
from leadhub.enquiries.pipeline import AMOUNT_FIELDS, ActionInput, ActionRefused, perform
from leadhub.enquiries.queries import (
    Access,
    access_of,
    actions_for,
    enquiry_for_user,
    history_for_user,
    may_dispatch,
    may_react_to_offer,
    may_work,
    pending_offer_of,
    visible_enquiries,
    with_pending_offer,
)
from leadhub.enquiries.states import CLOSED, TransitionError
from leadhub.orgs.models import Organisation, OrgUnit, User
from leadhub.routing.actions import (
    HandOffError,
    Routed,
    accept_offer,
    assign_by_hand,
    reject_offer,
    route,
)

from .auth import current_user, user_auth
from .schemas import (
    ActionIn,
    AssignIn,
    EnquiryDetailOut,
    EnquiryPageOut,
    ErrorOut,
    RejectIn,
    RoutedOut,
)
from .serialise import detail, summary

router = Router(tags=["enquiries"], auth=user_auth)


class ListFilters(Schema):
    status: EnquiryStatus | None = None
    type: EnquiryType | None = None
    mine: bool = False
    returned: bool = False
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
    if filters.done is not None:
        qs = qs.filter(status__in=CLOSED) if filters.done else qs.exclude(status__in=CLOSED)
    if filters.returned:
        qs = qs.filter(returned_at__isnull=False, owner_id=user.organisation_id)
    if not 1 <= filters.limit <= 200:
        raise HttpError(400, "limit must be between 1 and 200")
    try:
        page = by_due_date(qs, cursor=filters.cursor, limit=filters.limit)
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
    return _detail(user, enquiry, access)


def _detail(user: User, enquiry: Enquiry, access: Access) -> dict[str, object]:
    history = list(history_for_user(user, enquiry, access))
    return detail(
        enquiry, access, history, pending_offer_of(enquiry), actions_for(user, access, enquiry)
    )


@router.post(
    NUMBER + "/actions/{action}",
    response={200: EnquiryDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Take a pipeline action (start, appointment, deliver_quote, order, close, reopen, ...)",
)
def take_action(request: HttpRequest, number: str, action: str, body: ActionIn) -> object:
    """Refused with 409 when the action does not fit the enquiry's status (the message says
    which actions do), with 422 when its input is incomplete or wrong."""
    user = current_user(request)
    enquiry, access = enquiry_for_user(user, number)
    if not may_work(user, access):
        return _refused(access)
    showroom = None
    if body.showroom:
        showroom = OrgUnit.objects.filter(key=body.showroom, organisation=user.organisation).first()
        if showroom is None:
            return Status(422, {"detail": f"{body.showroom!r} is not one of your units."})
    values = {k: v for k in AMOUNT_FIELDS if (v := getattr(body, k)) is not None}
    data = ActionInput(
        at=body.at,
        in_days=body.in_days,
        place=body.place,
        showroom=showroom,
        reason_group=body.reason_group,
        reason=body.reason,
        values=values,
    )
    try:
        perform(enquiry, action, by=user, now=timezone.now(), data=data)
    except TransitionError as exc:
        return Status(409, {"detail": str(exc)})
    except ActionRefused as exc:
        return Status(422, {"detail": str(exc)})
    enquiry, access = enquiry_for_user(user, number)
    return _detail(user, enquiry, access)


def _routed(enquiry: Enquiry, routed: Routed) -> dict[str, object]:
    return {
        "number": enquiry.number,
        "routed_to": {
            "kind": routed.kind,
            "target": routed.target,
            "description": routed.description,
        },
        "explanation": routed.explanation or routed.description,
    }


CONFLICTS = {200: RoutedOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post(
    NUMBER + "/accept",
    response={200: EnquiryDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Accept an offer",
)
def accept(request: HttpRequest, number: str) -> object:
    user = current_user(request)
    enquiry, access = enquiry_for_user(user, number)
    if not may_react_to_offer(user, access):
        return _refused(access)
    try:
        enquiry = accept_offer(enquiry, by=user, now=timezone.now())
    except HandOffError as exc:
        return Status(409, {"detail": str(exc)})
    enquiry, access = enquiry_for_user(user, number)
    return _detail(user, enquiry, access)


@router.post(NUMBER + "/reject", response=CONFLICTS, summary="Reject an offer, with a reason")
def reject(request: HttpRequest, number: str, body: RejectIn) -> object:
    user = current_user(request)
    enquiry, access = enquiry_for_user(user, number)
    if not may_react_to_offer(user, access):
        return _refused(access)
    if not body.reason.strip():
        return Status(422, {"detail": "A reason is required to reject an offer."})
    try:
        reject_offer(enquiry, by=user, reason=body.reason, now=timezone.now())
    except HandOffError as exc:
        return Status(409, {"detail": str(exc)})
    # Where it goes next is the brand's business, not the rejecting partner's.
    brand = enquiry.origin_brand or enquiry.owner
    return {
        "number": enquiry.number,
        "routed_to": {
            "kind": "returned",
            "target": brand.key,
            "description": f"returned to {brand.name}",
        },
        "explanation": f"Rejected; the enquiry went back to {brand.name}.",
    }


@router.post(NUMBER + "/route", response=CONFLICTS, summary="Route again by the brand's rules")
def route_again(request: HttpRequest, number: str) -> object:
    user = current_user(request)
    enquiry, access = enquiry_for_user(user, number)
    if not may_dispatch(user, access, enquiry):
        return _refused(access)
    try:
        routed = route(enquiry, now=timezone.now(), occasion="by hand", actor=user)
    except HandOffError as exc:
        return Status(409, {"detail": str(exc)})
    return _routed(enquiry, routed)


@router.post(
    NUMBER + "/assign",
    response=CONFLICTS,
    summary="Assign to a user or unit, or offer to a partner",
)
def assign(request: HttpRequest, number: str, body: AssignIn) -> object:
    user = current_user(request)
    enquiry, access = enquiry_for_user(user, number)
    if not may_dispatch(user, access, enquiry):
        return _refused(access)
    org = enquiry.owner
    target_user = target_unit = partner = None
    if body.user:
        target_user = User.objects.filter(
            username=body.user, organisation=org, is_active=True
        ).first()
        if target_user is None:
            return Status(422, {"detail": f"{body.user!r} is not an active user of {org.name}."})
    if body.unit:
        target_unit = OrgUnit.objects.filter(key=body.unit, organisation=org).first()
        if target_unit is None:
            return Status(422, {"detail": f"{body.unit!r} is not a unit of {org.name}."})
    if body.partner:
        partner = Organisation.objects.filter(key=body.partner, kind="partner", brands=org).first()
        if partner is None:
            return Status(422, {"detail": f"{body.partner!r} is not a partner of {org.name}."})
    try:
        routed = assign_by_hand(
            enquiry,
            by=user,
            now=timezone.now(),
            user=target_user,
            unit=target_unit,
            partner=partner,
        )
    except ValueError as exc:
        return Status(422, {"detail": str(exc)})
    except HandOffError as exc:
        return Status(409, {"detail": str(exc)})
    return _routed(enquiry, routed)


def _refused(access: Access) -> Status[dict[str, str]]:
    if access is Access.PREVIEW:
        return Status(403, {"detail": "Your role may not accept or reject offers."})
    return Status(403, {"detail": "This action is not yours to take on this enquiry."})
