"""POST /api/v1/quotes: an organisation's ERP sends quotes and orders (A7).

Authorised per organisation (decision 0035): the bearer token of a channel of kind `erp`,
which belongs to a brand or a partner, and may touch only the enquiries that organisation
owns. Re-sending the same quotes changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import BaseModel, Field

from leadhub.intake.leaddata import FieldError
from leadhub.intake.models import Channel, ChannelKind
from leadhub.intake.rejections import keep_rejected
from leadhub.lib.tabular import Row, RowError, TableError
from leadhub.quotes.actions import import_quotes
from leadhub.quotes.parse import records_of

from .openapi import inline_schema
from .schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["erp"])


class QuoteIn(BaseModel):
    enquiry_number: str = Field(description="261123/000025, 261123-000025 or 261123000025")
    number: str = Field(max_length=64)
    kind: Literal["quote", "order"] = "quote"
    amount: Decimal | str = Field(description="a number, or text with a decimal comma")
    currency: str = Field("EUR", pattern=r"^[A-Za-z]{3}$")
    date: dt.date | None = None
    main: bool | None = None
    external_id: str = ""


class QuotesIn(BaseModel):
    quotes: list[QuoteIn]


class QuoteResultOut(Schema):
    enquiry_number: str
    number: str
    kind: str
    main: bool
    result: str  # created, updated or unchanged


class QuotesOut(Schema):
    created: int
    updated: int
    unchanged: int
    quotes: list[QuoteResultOut]


def erp_channel(request: HttpRequest) -> Channel | None:
    """The ERP channel whose token the request carries (compared in constant time)."""
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        return None
    token = auth[7:].strip()
    found = None
    for channel in Channel.objects.filter(kind=ChannelKind.ERP).select_related("brand"):
        if hmac.compare_digest(token, channel.token):
            found = channel
    return found


def _refuse(channel: Channel, request: HttpRequest, errors: list[RowError]) -> Status[object]:
    status = 400 if errors[0].field == "body" else 422
    fields = [
        FieldError(f"quotes[{e.index}].{e.field}" if e.index >= 0 else e.field or "body", e.message)
        for e in errors
    ]
    keep_rejected(
        channel,
        request.body,
        reason="not readable" if status == 400 else "invalid quotes",
        errors=fields,
        content_type=request.headers.get("Content-Type", ""),
    )
    return Status(
        status,
        {
            "detail": "No quote was stored. The delivery is kept for inspection.",
            "errors": [{"field": f.field, "message": f.message} for f in fields],
        },
    )


@router.post(
    "",
    response={200: QuotesOut, 400: ValidationErrorOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="Send quotes and orders from the ERP",
    description=(
        "Authenticate with `Authorization: Bearer <token of an erp channel>`. Every quote "
        "must belong to an enquiry the channel's organisation owns; all are stored or none. "
        "A quote is identified by enquiry, number and kind: sending it again changes nothing."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": inline_schema(QuotesIn)}},
        }
    },
)
def send_quotes(request: HttpRequest) -> Status[object]:
    channel = erp_channel(request)
    if channel is None:
        return Status(401, {"detail": "Unknown or wrong ERP channel token."})
    try:
        raw = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _refuse(channel, request, [RowError("body", "body", f"not valid JSON: {exc}")])
    if not isinstance(raw, dict) or not isinstance(raw.get("quotes"), list):
        return _refuse(channel, request, [RowError("body", "body", 'must be {"quotes": [...]}')])
    rows = [
        Row(f"item {n}", {str(k).lower(): v for k, v in item.items()})
        if isinstance(item, dict)
        else Row(f"item {n}", {"__not_object__": True})
        for n, item in enumerate(raw["quotes"], start=1)
    ]
    try:
        records = records_of(rows, csv_header=False, default_currency="EUR")
        result = import_quotes(
            channel.brand, records, source="api", now=timezone.now(), channel=channel
        )
    except TableError as exc:
        return _refuse(channel, request, exc.errors)
    return Status(
        200,
        {
            **{k: result.counts[k] for k in ("created", "updated", "unchanged")},
            "quotes": result.results,
        },
    )
