"""Offers and routing through the API: accept, reject, route again (assign: assignment.py)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Status

from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import (
    enquiry_for_user,
    may_dispatch,
    may_react_to_offer,
)
from leadhub.routing.actions import (
    HandOffError,
    Routed,
    accept_offer,
    reject_offer,
    route,
)

from .enquiries import NUMBER, acting_on, detail_for, router
from .schemas import (
    EnquiryDetailOut,
    ErrorOut,
    RejectIn,
    RoutedOut,
)


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
    user, enquiry, access = acting_on(request, number, may_react_to_offer)
    try:
        enquiry = accept_offer(enquiry, by=user, now=timezone.now())
    except HandOffError as exc:
        return Status(409, {"detail": str(exc)})
    enquiry, access = enquiry_for_user(user, number)
    return detail_for(user, enquiry, access)


@router.post(NUMBER + "/reject", response=CONFLICTS, summary="Reject an offer, with a reason")
def reject(request: HttpRequest, number: str, body: RejectIn) -> object:
    user, enquiry, _access = acting_on(request, number, may_react_to_offer)
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
    user, enquiry, _access = acting_on(request, number, may_dispatch)
    try:
        routed = route(enquiry, now=timezone.now(), occasion="by hand", actor=user)
    except HandOffError as exc:
        return Status(409, {"detail": str(exc)})
    return _routed(enquiry, routed)
