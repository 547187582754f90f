"""POST /api/v1/intake/{channel}/enquiries: the generic JSON webhook (A1)."""

from __future__ import annotations

import hashlib
import hmac

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.responses import Response

from leadhub.intake.channels.webhook.parse import parse
from leadhub.intake.channels.webhook.schema import EnquiryIn
from leadhub.intake.ingest import IdempotencyConflict, ingest
from leadhub.intake.leaddata import IntakeError
from leadhub.intake.lookup import channel_by_key
from leadhub.intake.models import Channel, ChannelKind
from leadhub.intake.rejections import keep_rejected

from .openapi import inline_schema
from .schemas import ErrorOut, IntakeOut, ValidationErrorOut

router = Router(tags=["intake"])


def refused(channel: Channel, request: HttpRequest, exc: IntakeError) -> Status[object]:
    """400 for a body that is not the format at all, 422 for one with wrong fields; the
    delivery is kept for the brand's admins to inspect ("Rejected deliveries")."""
    status = 400 if exc.errors[0].field == "body" else 422
    keep_rejected(
        channel,
        request.body,
        reason="not readable" if status == 400 else "invalid fields",
        errors=exc.errors,
        content_type=request.headers.get("Content-Type", ""),
    )
    return Status(
        status,
        {
            "detail": "The enquiry was not accepted; no enquiry was made. "
            "The delivery is kept for inspection.",
            "errors": [{"field": e.field, "message": e.message} for e in exc.errors],
        },
    )


SIGNATURE_HEADER = "X-Leadhub-Signature"
# Only webhook channels deliver here: the other kinds have their own endpoints and formats,
# and their tokens open nothing else (an ERP channel may even belong to a partner, which
# must not make enquiries as if it were a brand).


def authenticated_channel(request: HttpRequest, key: str) -> Channel | None:
    """The channel if the request carries its token, or an HMAC-SHA256 of the body keyed by it."""
    channel = channel_by_key(key)
    if channel is None:
        return None
    if _authenticates(request, channel):
        return channel
    # The token may have changed since the channel was kept: ask the database before refusing.
    channel = channel_by_key(key, fresh=True)
    return channel if channel is not None and _authenticates(request, channel) else None


def _authenticates(request: HttpRequest, channel: Channel) -> bool:
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return hmac.compare_digest(auth[7:].strip(), channel.token)
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if signature.startswith("sha256="):
        expected = hmac.new(channel.token.encode(), request.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(signature[7:].strip().lower(), expected)
    return False


@router.post(
    "/{channel}/enquiries",
    response={
        201: IntakeOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        409: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Deliver an enquiry",
    description=(
        "Authenticate with `Authorization: Bearer <channel token>` or with "
        f"`{SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of the raw body, keyed by the token>`. "
        "Send an `Idempotency-Key` header (or an `external_id`) so that a retried delivery "
        "returns the first answer instead of creating a second enquiry."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": inline_schema(EnquiryIn)}},
        }
    },
)
def deliver(request: HttpRequest, channel: str) -> HttpResponse | Status[object]:
    found = authenticated_channel(request, channel)
    if found is None or found.kind != ChannelKind.WEBHOOK:
        return Status(401, {"detail": "Unknown channel or wrong token/signature."})
    try:
        lead = parse(request.body, default_country=found.brand.country)
    except IntakeError as exc:
        return refused(found, request, exc)
    key = request.headers.get("Idempotency-Key", "").strip()[:200] or None
    try:
        delivery = ingest(
            found, lead, idempotency_key=key, body_digest=hashlib.sha256(request.body).hexdigest()
        )
    except IdempotencyConflict:
        return Status(
            409, {"detail": "This Idempotency-Key was already used with a different body."}
        )
    except IntakeError as exc:  # an item not in the brand's catalogue (A8); nothing stored
        return refused(found, request, exc)
    response = Response(delivery.body, status=201)
    if delivery.replayed:
        response["Idempotent-Replayed"] = "true"
    return response
