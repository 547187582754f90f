"""Storing an ADF document's prospects: all of them or none (one transaction), each
idempotent on its own <id source=...> and, where the carrier has one, a delivery key."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from leadhub.intake.ingest import ingest
from leadhub.intake.leaddata import FieldError, IntakeError, LeadData
from leadhub.intake.models import Channel

from .parse import parse


@dataclass(frozen=True)
class Received:
    answers: list[dict[str, Any]]  # one per prospect, as the webhook answers
    replayed: bool  # every prospect had been received before


def read_documents(channel: Channel, documents: list[bytes]) -> list[tuple[LeadData, str]]:
    """Every prospect of every document with its document's digest; IntakeError names the
    document when there are several."""
    brand = channel.brand
    found: list[tuple[LeadData, str]] = []
    errors: list[FieldError] = []
    for n, body in enumerate(documents, start=1):
        try:
            leads = parse(body, default_country=brand.country, zone=ZoneInfo(brand.timezone))
        except IntakeError as exc:
            prefix = f"document[{n}]." if len(documents) > 1 else ""
            errors += [FieldError(prefix + e.field, e.message) for e in exc.errors]
            continue
        digest = hashlib.sha256(body).hexdigest()
        found += [(lead, digest) for lead in leads]
    if errors:
        raise IntakeError(errors)
    return found


def receive(
    channel: Channel,
    leads: list[tuple[LeadData, str]],
    *,
    delivery_key: str | None,
    about: dict[str, Any] | None = None,
) -> Received:
    """Ingest every lead in one transaction. `delivery_key` (an Idempotency-Key, a
    Message-ID) covers prospects without an <id>; the n-th prospect gets `key#n`.
    `about` is added to each lead's raw payload (e.g. the e-mail it came in)."""
    with transaction.atomic():
        deliveries = [
            ingest(
                channel,
                replace(lead, raw={**lead.raw, **about}) if about else lead,
                idempotency_key=_key(delivery_key, n),
                body_digest=digest,
            )
            for n, (lead, digest) in enumerate(leads, start=1)
        ]
    return Received(
        answers=[d.body for d in deliveries], replayed=all(d.replayed for d in deliveries)
    )


def _key(delivery_key: str | None, n: int) -> str | None:
    if not delivery_key:
        return None
    return delivery_key[:200] if n == 1 else f"{delivery_key[:190]}#{n}"
