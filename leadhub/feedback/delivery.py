"""Delivering the outbox (F5): at least once, in order per enquiry, with back-off.

Each event is claimed alone (FOR UPDATE SKIP LOCKED, so several sweepers share the work)
and sent only when every earlier event of its enquiry was delivered; a failing endpoint
holds back that enquiry's later events rather than reorder them. The brand's side
de-duplicates by `event_id` (a retry after a lost answer sends the same id again).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef

from .models import DeliveryState, FeedbackEndpoint, FeedbackEvent

MAX_ATTEMPTS = 10  # then "failed": an admin resends it
TIMEOUT_SECONDS = 5.0
SIGNATURE_HEADER = "X-Leadhub-Signature"


@dataclass(frozen=True)
class Answer:
    ok: bool
    detail: str


Post = Callable[[str, bytes, dict[str, str]], Answer]


def http_post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return Answer(200 <= response.status < 300, f"HTTP {response.status}")
    except urllib.error.HTTPError as exc:
        return Answer(False, f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError) as exc:
        return Answer(False, str(getattr(exc, "reason", exc))[:400])


def signed(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min ... capped at an hour."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def deliver_due(now: datetime, *, limit: int = 200, post: Post = http_post) -> int:
    """Send up to `limit` due events; the number delivered."""
    delivered = 0
    for _ in range(limit):
        outcome = _deliver_one(now, post)
        if outcome is None:
            break
        delivered += outcome
    return delivered


def _deliver_one(now: datetime, post: Post) -> int | None:
    """Claim and send the oldest due event that may go now; None when there is none."""
    undelivered = FeedbackEvent.objects.exclude(state=DeliveryState.DELIVERED)
    with transaction.atomic():
        due = (
            FeedbackEvent.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("enquiry")
            .filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
            .exclude(Exists(undelivered.filter(enquiry=OuterRef("enquiry"), id__lt=OuterRef("id"))))
            .order_by("id")
            .first()
        )
        if due is None:
            return None
        endpoint = FeedbackEndpoint.objects.filter(brand_id=due.brand_id).first()
        if endpoint is None:  # the brand removed its endpoint: nothing to send to
            due.state, due.last_error = DeliveryState.FAILED, "no endpoint configured"
            due.save(update_fields=["state", "last_error"])
            return 0
        body = json.dumps(
            due.payload | {"enquiry": due.payload["enquiry"] | {"number": due.enquiry.number}},
            separators=(",", ":"),
        ).encode()
        answer = post(
            endpoint.url,
            body,
            {
                "Content-Type": "application/json",
                SIGNATURE_HEADER: signed(body, endpoint.secret),
                "X-Leadhub-Event-Id": str(due.payload["event_id"]),
            },
        )
        due.attempts += 1
        if answer.ok:
            due.state, due.delivered_at, due.last_error = DeliveryState.DELIVERED, now, ""
        else:
            due.last_error = answer.detail
            due.next_attempt_at = now + backoff(due.attempts)
            if due.attempts >= MAX_ATTEMPTS:
                due.state = DeliveryState.FAILED
        due.save(
            update_fields=["attempts", "state", "delivered_at", "last_error", "next_attempt_at"]
        )
        return 1 if answer.ok else 0
