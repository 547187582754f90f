"""Settings of a `meta_lead_ads` channel (network file, `settings:`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from leadhub.intake.channels.webhook.schema import EnquiryTypeName

# Where a lead form's answer goes. "contact.name" is a full name, split into first and
# last name; "text" appends "question: answer" to the enquiry text; "ignore" drops it.
Target = Literal[
    "contact.name",
    "contact.first_name",
    "contact.last_name",
    "contact.company",
    "contact.email",
    "contact.phone",
    "contact.street",
    "contact.postal_code",
    "contact.city",
    "contact.province",
    "contact.country",
    "contact.language",
    "project_name",
    "text",
    "ignore",
]

# Meta's standard ("prefill") questions; a form's `fields` add to or override these, and
# any other question goes to the enquiry text.
DEFAULT_FIELDS: dict[str, Target] = {
    "full_name": "contact.name",
    "first_name": "contact.first_name",
    "last_name": "contact.last_name",
    "email": "contact.email",
    "work_email": "contact.email",
    "phone_number": "contact.phone",
    "work_phone_number": "contact.phone",
    "company_name": "contact.company",
    "street_address": "contact.street",
    "zip_code": "contact.postal_code",
    "post_code": "contact.postal_code",
    "city": "contact.city",
    "state": "contact.province",
    "province": "contact.province",
    "country": "contact.country",
}


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class FormSettings(_Settings):
    type: EnquiryTypeName | None = None  # default: the channel's type
    fields: dict[str, Target] = Field(default_factory=dict)


class MetaLeadAdsSettings(_Settings):
    app_secret: str = Field(min_length=16, max_length=200)  # signs the webhook POSTs
    verify_token: str = Field(min_length=8, max_length=200)  # the GET handshake
    page_access_token: str = Field(min_length=16, max_length=1000)  # reads leads from Graph
    graph_url: str = Field("https://graph.facebook.com", pattern=r"^https?://[^\s?#]+$")
    graph_version: str = Field("v23.0", pattern=r"^v\d+\.\d+$")
    graph_timeout_seconds: float = Field(10.0, gt=0, le=60)
    type: EnquiryTypeName = "quote"
    forms: dict[str, FormSettings] = Field(default_factory=dict)  # by Meta's form id

    def form(self, form_id: str) -> tuple[str, dict[str, Target]]:
        """The enquiry type and the field mapping for leads of this form."""
        form = self.forms.get(form_id, FormSettings())
        return form.type or self.type, {**DEFAULT_FIELDS, **form.fields}
