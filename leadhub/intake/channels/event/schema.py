"""An event landing page's sign-up (A9): the generic webhook payload plus the event."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SignupIn(BaseModel):
    """The fields on top of the generic payload (docs/events.md); `type` may be left out."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    event: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$", description="the event's key")
    participants: int = Field(1, ge=1, le=50, description="how many people come")
    participant_name: str = Field(
        "", max_length=200, description="who comes, when not the contact (an assistant signs up)"
    )
