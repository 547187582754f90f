"""POST /api/v1/intake/{channel}/adf: ADF 1.0 XML leads over HTTP (A4), on the intake
router beside the JSON webhook, with the same authentication and answers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Status
from ninja.responses import Response

from leadhub.intake.channels.adf.receive import read_documents, receive
from leadhub.intake.ingest import IdempotencyConflict
from leadhub.intake.leaddata import FieldError, IntakeError
from leadhub.intake.rejections import keep_rejected

from .intake import SIGNATURE_HEADER, authenticated_channel, refused, router
from .schemas import AdfIntakeOut, ErrorOut, ValidationErrorOut

XML_TYPES = {"application/xml", "text/xml", "application/x-adf+xml"}


@router.post(
    "/{channel}/adf",
    response={
        201: AdfIntakeOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        409: ErrorOut,
        415: ValidationErrorOut,
        422: ValidationErrorOut,
    },
    summary="Deliver ADF 1.0 XML leads",
    description=(
        "The body is an ADF document (`<adf><prospect>...</prospect></adf>`); each prospect "
        "becomes an enquiry, all or none. Authenticate with `Authorization: Bearer <channel "
        f"token>` or `{SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of the body>`. A prospect "
        "delivered again (same `<id source=...>`, or same `Idempotency-Key`) returns the first "
        "answer. DTDs and entity declarations are refused (400)."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {t: {"schema": {"type": "string"}} for t in sorted(XML_TYPES)},
        }
    },
)
def deliver_adf(request: HttpRequest, channel: str) -> HttpResponse | Status[object]:
    found = authenticated_channel(request, channel)
    if found is None or found.kind != "adf":
        return Status(401, {"detail": "Unknown ADF channel or wrong token/signature."})
    content_type = request.content_type or ""
    if content_type not in XML_TYPES and not content_type.endswith("+xml"):
        problem = FieldError("Content-Type", f"{content_type or 'none'}: send application/xml")
        keep_rejected(
            found, request.body, reason="not XML", errors=[problem], content_type=content_type
        )
        return Status(
            415,
            {
                "detail": "The delivery is not XML; no enquiry was made. "
                "The delivery is kept for inspection.",
                "errors": [{"field": problem.field, "message": problem.message}],
            },
        )
    try:
        leads = read_documents(found, [request.body])
    except IntakeError as exc:
        return refused(found, request, exc)
    key = request.headers.get("Idempotency-Key", "").strip()[:200] or None
    try:
        received = receive(found, leads, delivery_key=key)
    except IdempotencyConflict:
        return Status(
            409, {"detail": "This Idempotency-Key was already used with a different body."}
        )
    response = Response({**received.answers[0], "enquiries": received.answers}, status=201)
    if received.replayed:
        response["Idempotent-Replayed"] = "true"
    return response
