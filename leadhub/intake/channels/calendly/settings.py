"""Settings of a `calendly` channel (network file, `settings:`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from leadhub.intake.channels.webhook.schema import EnquiryTypeName


class CalendlySettings(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # The webhook subscription's signing key (given when the subscription is created).
    signing_key: str = Field(min_length=16, max_length=200)
    # How old (or how far ahead) a signature's timestamp may be: replays of a captured
    # request are refused after this.
    tolerance_seconds: int = Field(180, ge=30, le=3600)
    type: EnquiryTypeName = "quote"
    # The close reason (the prospect's) when the invitee cancels; listed as given.
    cancel_reason: str = Field("Appointment cancelled", min_length=1, max_length=200)
