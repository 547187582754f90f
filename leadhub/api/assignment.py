"""Assignment through the API (B3, B6, B7): find targets, assign, re-send an e-mail
assignment, take over."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Status

from leadhub.assignment.actions import (
    AssignRefused,
    assign_to,
    may_assign,
    offers_partners,
    resend,
)
from leadhub.assignment.models import ExternalAssignment
from leadhub.assignment.targets import UnknownTarget, find_targets, resolve
from leadhub.enquiries.queries import enquiry_for_user
from leadhub.enquiries.takeover import TakeOverRefused, may_take_over, take_over

from .enquiries import NUMBER, acting_on, detail_for, router
from .schemas import AssignedOut, AssignIn, EnquiryDetailOut, ErrorOut, TargetOut

ANSWERS = {200: AssignedOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get(
    NUMBER + "/assign/targets",
    response={200: list[TargetOut], 403: ErrorOut, 404: ErrorOut},
    summary="Who the enquiry can be assigned to (by name, customer code or e-mail)",
)
def targets(request: HttpRequest, number: str, q: str) -> object:
    user, enquiry, access = acting_on(request, number, may_assign)
    found = find_targets(enquiry.owner, q, partners=offers_partners(user, access, enquiry))
    return [
        {
            "ref": t.ref,
            "kind": str(t.kind),
            "key": t.key,
            "label": t.label,
            "detail": t.detail,
            "internal": t.internal,
        }
        for t in found
    ]


def _named(body: AssignIn) -> str:
    named = [
        f"{kind}:{key}"
        for kind in ("user", "unit", "partner", "email")
        if (key := getattr(body, kind))
    ]
    if body.target:
        named.append(body.target)
    if len(named) != 1:
        raise UnknownTarget("Name exactly one target: target, user, unit, partner or email.")
    return named[0]


@router.post(
    NUMBER + "/assign", response=ANSWERS, summary="Assign to a user, unit, partner or e-mail"
)
def assign(request: HttpRequest, number: str, body: AssignIn) -> object:
    user, enquiry, access = acting_on(request, number, may_assign)
    try:
        target = resolve(
            enquiry.owner, _named(body), partners=offers_partners(user, access, enquiry)
        )
    except UnknownTarget as exc:
        return Status(422, {"detail": str(exc)})
    try:
        done = assign_to(
            enquiry,
            target,
            by=user,
            now=timezone.now(),
            message=body.message,
            copy_to_sender=body.copy_to_me,
        )
    except AssignRefused as exc:
        return Status(409, {"detail": str(exc)})
    return {
        "number": enquiry.number,
        "description": done.description,
        "external_assignment_id": done.external.pk if done.external else None,
    }


@router.post(
    NUMBER + "/external-assignments/{int:external_id}/resend",
    response=ANSWERS,
    summary="Send an e-mail assignment again, with the current details",
)
def resend_external(request: HttpRequest, number: str, external_id: int) -> object:
    user, enquiry, _access = acting_on(request, number, may_assign)
    external = ExternalAssignment.objects.filter(pk=external_id, enquiry=enquiry).first()
    if external is None:
        return Status(404, {"detail": "No such e-mail assignment of this enquiry."})
    try:
        resend(external, by=user, now=timezone.now())
    except AssignRefused as exc:
        return Status(409, {"detail": str(exc)})
    return {
        "number": enquiry.number,
        "description": f"sent again to {external.recipient}",
        "external_assignment_id": external.pk,
    }


@router.post(
    NUMBER + "/take-over",
    response={200: EnquiryDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Take the enquiry over; its previous owner gets a notice (B7)",
)
def take_over_(request: HttpRequest, number: str) -> object:
    user, enquiry, access = acting_on(request, number, may_take_over)
    try:
        take_over(enquiry, by=user, now=timezone.now())
    except TakeOverRefused as exc:
        return Status(409, {"detail": str(exc)})
    enquiry, access = enquiry_for_user(user, number)
    return detail_for(user, enquiry, access)
