"""GET/POST /api/v1/intake/{channel}/meta: Meta lead ads (A2), docs/intake.md."""

from __future__ import annotations

import hmac

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from leadhub.intake.channels.meta_lead_ads.graph import GraphClient
from leadhub.intake.channels.meta_lead_ads.parse import parse_notification, signature_ok
from leadhub.intake.channels.meta_lead_ads.receive import receive_leads
from leadhub.intake.channels.meta_lead_ads.settings import MetaLeadAdsSettings
from leadhub.intake.leaddata import IntakeError
from leadhub.intake.models import Channel, ChannelKind

from .intake import refused
from .schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["intake"])


class LeadOut(Schema):
    leadgen_id: str
    result: str  # created, replayed, rejected (kept for inspection), failed (retry)
    number: str | None = None
    url: str | None = None
    problems: list[str] = []


class LeadsOut(Schema):
    leads: list[LeadOut]


def _channel(key: str) -> tuple[Channel, MetaLeadAdsSettings] | None:
    channel = (
        Channel.objects.select_related("brand")
        .filter(key=key, kind=ChannelKind.META_LEAD_ADS)
        .first()
    )
    if channel is None:
        return None
    return channel, MetaLeadAdsSettings.model_validate(channel.settings)


@router.get(
    "/{channel}/meta",
    response={200: str, 403: ErrorOut},
    summary="Meta lead ads: webhook verification",
    description="Meta's handshake when the callback URL is saved in the app dashboard: "
    "answers `hub.challenge` as plain text when `hub.verify_token` is the channel's.",
)
def verify(request: HttpRequest, channel: str) -> HttpResponse | Status[object]:
    found = _channel(channel)
    token = request.GET.get("hub.verify_token", "")
    if (
        found is None
        or request.GET.get("hub.mode") != "subscribe"
        or not hmac.compare_digest(token.encode(), found[1].verify_token.encode())
    ):
        return Status(403, {"detail": "Unknown channel or wrong verify token."})
    return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")


@router.post(
    "/{channel}/meta",
    response={
        200: LeadsOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        422: ValidationErrorOut,
        502: LeadsOut,
    },
    summary="Meta lead ads: leadgen notifications",
    description=(
        "Signed by Meta with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, "
        "keyed by the app secret>`. Each `leadgen` change is read from the Graph API and "
        "becomes one enquiry (idempotent on `leadgen_id`). `502` when a lead could not be read "
        "now: Meta delivers the notification again, and the leads already stored are not "
        "stored twice."
    ),
)
def notify(request: HttpRequest, channel: str) -> Status[object]:
    found = _channel(channel)
    header = request.headers.get("X-Hub-Signature-256", "")
    if found is None or not signature_ok(request.body, header, found[1].app_secret):
        return Status(401, {"detail": "Unknown channel or wrong signature."})
    chan, settings = found
    try:
        refs = parse_notification(request.body)
    except IntakeError as exc:
        return refused(chan, request, exc)
    outcomes = receive_leads(chan, refs, client=GraphClient.for_settings(settings))
    leads = [
        {
            "leadgen_id": o.leadgen_id,
            "result": o.result,
            "number": o.answer.get("number"),
            "url": o.answer.get("url"),
            "problems": o.problems,
        }
        for o in outcomes
    ]
    return Status(502 if any(o.result == "failed" for o in outcomes) else 200, {"leads": leads})
