"""Event sign-up payload -> LeadData plus the event's key (pure: no database, no HTTP).

The contact, text, UTM... are the generic webhook's; this adds the event and the count."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

from leadhub.intake.channels.webhook.parse import parse_payload
from leadhub.intake.leaddata import FieldError, IntakeError, LeadData

from .schema import SignupIn


@dataclass(frozen=True)
class Signup:
    lead: LeadData
    event: str
    participants: int
    participant_name: str


def parse(body: bytes, *, default_country: str) -> Signup:
    """Validate everything and report every problem at once."""
    try:
        raw = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IntakeError([FieldError("body", f"not valid JSON: {exc}")]) from exc
    if not isinstance(raw, dict):
        raise IntakeError([FieldError("body", "must be a JSON object")])
    errors: list[FieldError] = []
    if raw.get("type", "event") != "event":
        errors.append(FieldError("type", "an event sign-up is of type event (or leave it out)"))
    extra: SignupIn | None = None
    try:
        extra = SignupIn.model_validate(raw)
    except ValidationError as exc:
        errors += [_field_error(e) for e in exc.errors()]
    lead: LeadData | None = None
    try:
        lead = parse_payload({**raw, "type": "event"}, default_country=default_country)
    except IntakeError as exc:
        errors = exc.errors + errors
    if errors:
        raise IntakeError(errors)
    assert lead is not None and extra is not None
    return Signup(replace(lead, raw=raw), extra.event, extra.participants, extra.participant_name)


def _field_error(err: Any) -> FieldError:
    return FieldError(".".join(str(p) for p in err["loc"]) or "body", err["msg"])
