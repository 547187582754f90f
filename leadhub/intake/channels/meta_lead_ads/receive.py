"""Storing the leads a notification announces: each read from the Graph API and ingested
in its own transaction (docs/decisions/0020-meta-leads-retried-by-meta.md)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from leadhub.intake.ingest import ingest
from leadhub.intake.leaddata import IntakeError
from leadhub.intake.models import Channel, IntakeReceipt
from leadhub.intake.rejections import keep_rejected

from .graph import GraphClient, GraphError
from .parse import LeadRef, lead_from_graph
from .settings import MetaLeadAdsSettings

Result = Literal["created", "replayed", "rejected", "failed"]


@dataclass(frozen=True)
class LeadOutcome:
    leadgen_id: str
    result: Result
    answer: dict[str, Any] = field(default_factory=dict)  # the enquiry's intake answer
    problems: list[str] = field(default_factory=list)


def receive_leads(
    channel: Channel, refs: list[LeadRef], *, client: GraphClient
) -> list[LeadOutcome]:
    """One outcome per lead. "failed" (Graph not readable now) stores nothing for that lead;
    the caller answers 5xx so that Meta delivers the notification again."""
    settings = MetaLeadAdsSettings.model_validate(channel.settings)
    return [_one(channel, ref, settings, client) for ref in refs]


def _one(
    channel: Channel, ref: LeadRef, settings: MetaLeadAdsSettings, client: GraphClient
) -> LeadOutcome:
    earlier = IntakeReceipt.objects.filter(channel=channel, external_id=ref.leadgen_id).first()
    if earlier is not None:  # a repeated notification: no second read from Graph
        return LeadOutcome(ref.leadgen_id, "replayed", earlier.response)
    try:
        graph = client.lead(ref.leadgen_id)
    except GraphError as exc:
        return LeadOutcome(ref.leadgen_id, "failed", problems=[str(exc)])
    stored = json.dumps({"leadgen": ref.__dict__, "lead": graph}, default=str).encode()
    try:
        lead = lead_from_graph(graph, ref, settings, default_country=channel.brand.country)
    except IntakeError as exc:
        # Meta cannot fix a lead by sending it again: keep it for the brand's admins.
        keep_rejected(
            channel,
            stored,
            reason=f"lead {ref.leadgen_id}: invalid fields",
            errors=exc.errors,
            content_type="application/json",
        )
        return LeadOutcome(
            ref.leadgen_id, "rejected", problems=[f"{e.field}: {e.message}" for e in exc.errors]
        )
    delivery = ingest(
        channel, lead, idempotency_key=None, body_digest=hashlib.sha256(stored).hexdigest()
    )
    return LeadOutcome(
        ref.leadgen_id, "replayed" if delivery.replayed else "created", delivery.body
    )
