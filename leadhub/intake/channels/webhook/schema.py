"""The generic JSON webhook payload (A1), as documented in docs/intake.md and OpenAPI."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

EnquiryTypeName = Literal[
    "quote", "sample", "brochure", "appointment", "test_drive", "event", "relationship", "other"
]


class _Strict(BaseModel):
    # Unknown keys are ignored, so senders may add fields without breaking intake.
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")


class AddressIn(_Strict):
    street: str = Field("", max_length=200)
    postal_code: str = Field("", max_length=16)
    city: str = Field("", max_length=100)
    province: str = Field("", max_length=40)
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166-1 alpha-2")


class ContactIn(_Strict):
    title: str = Field("", max_length=40)
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    company: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    # Further addresses and numbers (D2): after `email` / `phone`, which stay the primary.
    emails: list[Annotated[str, Field(max_length=254)]] = Field(default_factory=list, max_length=10)
    phones: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=10)
    language: str = Field("", max_length=8)
    kind: Literal["private", "business", "prescriber"] | None = None
    address: AddressIn = Field(default_factory=AddressIn)  # type: ignore[arg-type]


class UtmIn(_Strict):
    source: str = Field("", max_length=200)
    medium: str = Field("", max_length=200)
    campaign: str = Field("", max_length=200)
    term: str = Field("", max_length=200)
    content: str = Field("", max_length=200)


class ItemIn(_Strict):
    """A8: one catalogue item of a sample or brochure request."""

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(1, ge=1, le=999)


class EnquiryIn(_Strict):
    type: EnquiryTypeName
    text: str = Field("", max_length=20000)
    contact: ContactIn
    site_address: AddressIn | None = None
    project_name: str = Field("", max_length=200)
    referrer_url: str = Field("", max_length=1000)
    utm: UtmIn = Field(default_factory=UtmIn)  # type: ignore[arg-type]
    external_id: str = Field("", max_length=200)
    submitted_at: AwareDatetime | None = None
    items: list[ItemIn] = Field(default_factory=list, max_length=100)  # sample, brochure
