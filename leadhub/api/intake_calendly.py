"""POST /api/v1/intake/{channel}/calendly: Calendly bookings (A3), docs/intake.md."""

from __future__ import annotations

import hashlib
import time

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.responses import Response

from leadhub.intake.channels.calendly.bookings import handle
from leadhub.intake.channels.calendly.parse import parse
from leadhub.intake.channels.calendly.settings import CalendlySettings
from leadhub.intake.channels.calendly.signature import signature_ok
from leadhub.intake.leaddata import IntakeError
from leadhub.intake.models import Channel, ChannelKind

from .intake import refused
from .schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["intake"])

SIGNATURE_HEADER = "Calendly-Webhook-Signature"


class BookingOut(Schema):
    number: str | None = None
    status: str | None = None
    result: str | None = None  # rescheduled, cancelled, noted, ignored; absent when created
    url: str | None = None


@router.post(
    "/{channel}/calendly",
    response={
        200: BookingOut,
        201: BookingOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Calendly: invitee.created / invitee.canceled",
    description=(
        f"Signed by Calendly with `{SIGNATURE_HEADER}: t=<unix time>,v1=<hex HMAC-SHA256 of "
        '"<t>.<raw body>" keyed by the subscription\'s signing key>`; a timestamp outside the '
        "channel's tolerance is refused (401). A booking makes a quote enquiry with the "
        "appointment as its text; a cancellation closes it; a reschedule keeps one enquiry."
    ),
)
def booking(request: HttpRequest, channel: str) -> HttpResponse | Status[object]:
    found = (
        Channel.objects.select_related("brand")
        .filter(key=channel, kind=ChannelKind.CALENDLY)
        .first()
    )
    settings = CalendlySettings.model_validate(found.settings) if found else None
    if (
        found is None
        or settings is None
        or not signature_ok(
            request.body,
            request.headers.get(SIGNATURE_HEADER, ""),
            settings.signing_key,
            now=time.time(),
            tolerance=settings.tolerance_seconds,
        )
    ):
        return Status(401, {"detail": "Unknown channel, wrong or expired signature."})
    try:
        parsed = parse(
            request.body,
            enquiry_type=settings.type,
            default_country=found.brand.country,
            time_zone=found.brand.timezone,
        )
    except IntakeError as exc:
        return refused(found, request, exc)
    if parsed is None:
        return Status(200, {"result": "ignored"})
    answer = handle(
        found,
        parsed,
        body_digest=hashlib.sha256(request.body).hexdigest(),
        cancel_reason=settings.cancel_reason,
    )
    response = Response(answer.body, status=answer.status)
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return response
