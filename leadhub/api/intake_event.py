"""POST /api/v1/intake/{channel}/signups: an event landing page's sign-ups (A9).

Authenticated like the generic webhook (bearer token or HMAC signature) for channels of
kind `event`; idempotent the same way; the sign-up goes to the event's organiser."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse
from ninja import Status
from ninja.responses import Response

from leadhub.enquiries.models import Enquiry
from leadhub.events.actions import place_signup
from leadhub.events.models import Event
from leadhub.intake.channels.event.parse import parse
from leadhub.intake.channels.event.schema import SignupIn
from leadhub.intake.channels.webhook.schema import EnquiryIn
from leadhub.intake.ingest import IdempotencyConflict, ingest
from leadhub.intake.leaddata import FieldError, IntakeError
from leadhub.intake.models import ChannelKind
from leadhub.routing.planner import Routed

from .intake import SIGNATURE_HEADER, authenticated_channel, refused, router
from .openapi import inline_schema
from .schemas import ErrorOut, IntakeOut, ValidationErrorOut


class SignupBody(EnquiryIn, SignupIn):  # documentation only: the view parses the body
    pass


@router.post(
    "/{channel}/signups",
    response={
        201: IntakeOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        409: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Deliver an event sign-up",
    description=(
        "For channels of kind `event`. Authenticate as for enquiries (bearer token or "
        f"`{SIGNATURE_HEADER}`). The body is an enquiry (its `type` may be left out) plus "
        "`event` (the event's key), `participants` and `participant_name`. The sign-up goes "
        "to the event's organiser."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": inline_schema(SignupBody)}},
        }
    },
)
def deliver_signup(request: HttpRequest, channel: str) -> HttpResponse | Status[object]:
    found = authenticated_channel(request, channel)
    if found is None or found.kind != ChannelKind.EVENT:
        return Status(401, {"detail": "Unknown channel or wrong token/signature."})
    try:
        signup = parse(request.body, default_country=found.brand.country)
        event = (
            Event.objects.filter(brand=found.brand, key=signup.event)
            .select_related("brand", "organiser_user", "organiser_unit", "organiser_partner")
            .first()
        )
        if event is None:
            raise IntakeError(
                [FieldError("event", f"{signup.event!r} is not an event of the brand")]
            )

        def to_organiser(enquiry: Enquiry) -> Routed:
            return place_signup(
                enquiry,
                event,
                participants=signup.participants,
                participant_name=signup.participant_name,
            )

        key = request.headers.get("Idempotency-Key", "").strip()[:200] or None
        delivery = ingest(
            found,
            signup.lead,
            idempotency_key=key,
            body_digest=hashlib.sha256(request.body).hexdigest(),
            place=to_organiser,
        )
    except IntakeError as exc:
        return refused(found, request, exc)
    except IdempotencyConflict:
        return Status(
            409, {"detail": "This Idempotency-Key was already used with a different body."}
        )
    response = Response(delivery.body, status=201)
    if delivery.replayed:
        response["Idempotent-Replayed"] = "true"
    return response
