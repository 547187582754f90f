"""The network file's shape (docs/network-file.md). Checks of one entry at a time live here;
checks across entries and against the database live in validate.py."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, model_validator

from leadhub.intake.channels.registry import checked_settings

Key = str  # a slug; checked by the pattern on each field
KEY = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
RoleName = Literal["admin", "dispatcher", "sales", "manager", "viewer"]
EnquiryTypeName = Literal[
    "quote", "sample", "brochure", "appointment", "test_drive", "event", "relationship", "other"
]
StrategyName = Literal["round_robin", "least_loaded", "weighted"]
ChannelKindName = Literal[
    "webhook", "meta_lead_ads", "calendly", "adf", "referral", "erp", "event"
]  # intake.models.ChannelKind


class Entry(BaseModel):
    # Unknown keys are refused: a typo ("respons_hours") must not pass silently.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OrgEntry(Entry):
    key: Key = KEY
    name: str = Field(min_length=1, max_length=200)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    subdivision: str | None = None
    timezone: str = "Europe/Rome"
    working_hours: dict[str, str] | None = None
    closing_days: list[date] = Field(default_factory=list)
    email: EmailStr | None = None
    customer_code: str | None = None


class StatusFeedbackEntry(Entry):
    """F5: where status changes of the brand's enquiries are POSTed, signed with `secret`."""

    url: str = Field(pattern=r"^https?://", max_length=500)
    secret: str = Field(min_length=16, max_length=200)


class BrandEntry(OrgEntry):
    response_hours: int = Field(48, ge=1, le=24 * 30)
    status_feedback: StatusFeedbackEntry | None = None


class PartnerEntry(OrgEntry):
    email: EmailStr
    grade: int | None = Field(None, ge=0, le=100)
    capacity: int | None = Field(None, ge=0)
    brands: list[Key] = Field(default_factory=list)


class UnitEntry(Entry):
    key: Key = KEY
    org: Key
    name: str = Field(min_length=1, max_length=200)
    parent: Key | None = None


class UserEntry(Entry):
    username: str = Field(pattern=r"^[\w.@+-]{1,150}$")
    org: Key
    unit: Key | None = None
    email: EmailStr
    first_name: str = ""
    last_name: str = ""
    password: str | None = None
    roles: list[RoleName] = Field(min_length=1)
    language: Literal["en", "de", "fr", "it", "pl"] | None = None
    # Category rights (B9): enquiry type (or "*" for the rest) -> level.
    rights: dict[EnquiryTypeName | Literal["*"], Literal["all", "units", "own", "none"]] | None = (
        None
    )


class ZoneEntry(Entry):
    key: Key = KEY
    brand: Key
    country: str = Field(pattern=r"^[A-Z]{2}$")
    postal_codes: list[str] = Field(default_factory=list)
    provinces: list[str] = Field(default_factory=list)


class ChannelEntry(Entry):
    key: Key = KEY
    brand: Key
    kind: ChannelKindName = "webhook"
    token: str = Field(min_length=16, max_length=200)
    settings: dict[str, Any] = Field(default_factory=dict)  # per kind: docs/intake.md

    @model_validator(mode="after")
    def settings_fit_the_kind(self) -> ChannelEntry:
        try:
            self.settings = checked_settings(self.kind, self.settings)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}"
                for e in exc.errors()
            )
            raise ValueError(f"settings for kind {self.kind}: {problems}") from None
        return self


OneOrMany = str | list[str]


class When(Entry):
    type: EnquiryTypeName | list[EnquiryTypeName] | None = None
    channel: OneOrMany | None = None
    country: OneOrMany | None = None
    zone: OneOrMany | None = None
    postal_code: OneOrMany | None = None
    province: OneOrMany | None = None
    language: OneOrMany | None = None
    tags: OneOrMany | None = None


class Then(Entry):
    """Exactly one target: offer to partners, assign to a user or a unit, or the dispatcher."""

    offer_to: list[Key] | None = Field(None, min_length=1)
    strategy: StrategyName | None = None
    assign_to_user: str | None = None
    assign_to_unit: Key | None = None
    dispatcher: Literal[True] | None = None

    @model_validator(mode="after")
    def one_target(self) -> Then:
        targets = [
            name
            for name in ("offer_to", "assign_to_user", "assign_to_unit", "dispatcher")
            if getattr(self, name) is not None
        ]
        if len(targets) != 1:
            raise ValueError(
                "needs exactly one of offer_to, assign_to_user, assign_to_unit, dispatcher"
                + (f" (got {', '.join(targets)})" if targets else "")
            )
        if self.strategy and not self.offer_to:
            raise ValueError("strategy only goes with offer_to")
        return self


class RuleEntry(Entry):
    key: Key = KEY
    brand: Key
    order: int
    when: When = Field(default_factory=When)
    then: Then


WeekdayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class AbsenceEntry(Entry):
    """A user away (B8): a date range, recurring weekdays, or both (those weekdays within it)."""

    user: str
    starts_on: date | None = None
    ends_on: date | None = None
    weekdays: list[WeekdayName] = Field(default_factory=list)
    substitute: str | None = None

    @model_validator(mode="after")
    def covers_something(self) -> AbsenceEntry:
        if not (self.starts_on or self.ends_on or self.weekdays):
            raise ValueError("give starts_on/ends_on, weekdays, or both")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


class NetworkFile(Entry):
    brands: list[BrandEntry] = Field(default_factory=list)
    partners: list[PartnerEntry] = Field(default_factory=list)
    units: list[UnitEntry] = Field(default_factory=list)
    users: list[UserEntry] = Field(default_factory=list)
    zones: list[ZoneEntry] = Field(default_factory=list)
    channels: list[ChannelEntry] = Field(default_factory=list)
    rules: list[RuleEntry] = Field(default_factory=list)
    # The absences of each user named here replace that user's stored absences.
    absences: list[AbsenceEntry] = Field(default_factory=list)
