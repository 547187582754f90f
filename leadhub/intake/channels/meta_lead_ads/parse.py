"""Meta lead ads (A2), pure: the webhook notification -> lead references, and a lead as
read from the Graph API -> LeadData, through the form's field mapping. No database, no HTTP."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from leadhub.contacts.identifiers import IdentifierError, normalise_email, normalise_phone
from leadhub.intake.leaddata import Address, ContactData, FieldError, IntakeError, LeadData, Utm
from leadhub.intake.names import split_name
from leadhub.intake.payloads import field_error, json_object

from .settings import MetaLeadAdsSettings

GRAPH_ID = re.compile(r"^\d{1,40}$")


def signature_ok(body: bytes, header: str, app_secret: str) -> bool:
    """`X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the raw body keyed by the app secret."""
    if not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header[7:].strip().lower(), expected)


@dataclass(frozen=True)
class LeadRef:
    """One `leadgen` change: which lead to read from the Graph API."""

    leadgen_id: str
    form_id: str
    page_id: str
    ad_id: str = ""
    adgroup_id: str = ""
    created_time: datetime | None = None


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _graph_id(value: object) -> str:
    # Meta sends ids as strings; some older examples show numbers.
    text = str(value) if isinstance(value, int | str) else ""
    if not GRAPH_ID.match(text):
        raise ValueError("must be a numeric Graph id")
    return text


class _LeadgenValue(_In):
    leadgen_id: str
    form_id: str
    page_id: str
    ad_id: str | None = None
    adgroup_id: str | None = None
    created_time: int | None = None

    @field_validator("leadgen_id", "form_id", "page_id", mode="before")
    @classmethod
    def _ids(cls, value: object) -> str:
        return _graph_id(value)

    @field_validator("ad_id", "adgroup_id", mode="before")
    @classmethod
    def _optional_ids(cls, value: object) -> str | None:
        return None if value in (None, "") else _graph_id(value)


class _Change(_In):
    field: str
    value: dict[str, Any] = Field(default_factory=dict)


class _Entry(_In):
    id: str = ""
    changes: list[_Change] = Field(default_factory=list)


class _Notification(_In):
    object: str
    entry: list[_Entry]


def parse_notification(body: bytes) -> list[LeadRef]:
    """The leads a notification announces, in order; other fields' changes are skipped."""
    raw = json_object(body)
    try:
        note = _Notification.model_validate(raw)
    except ValidationError as exc:
        raise IntakeError([field_error(e) for e in exc.errors()]) from exc
    if note.object != "page":
        raise IntakeError([FieldError("object", "must be 'page' (subscribe the Page object)")])
    refs: list[LeadRef] = []
    errors: list[FieldError] = []
    for i, entry in enumerate(note.entry):
        for j, change in enumerate(entry.changes):
            if change.field != "leadgen":
                continue
            try:
                v = _LeadgenValue.model_validate(change.value)
            except ValidationError as exc:
                errors += [field_error(e, f"entry.{i}.changes.{j}.value") for e in exc.errors()]
                continue
            refs.append(
                LeadRef(
                    leadgen_id=v.leadgen_id,
                    form_id=v.form_id,
                    page_id=v.page_id,
                    ad_id=v.ad_id or "",
                    adgroup_id=v.adgroup_id or "",
                    created_time=(
                        datetime.fromtimestamp(v.created_time, UTC) if v.created_time else None
                    ),
                )
            )
    if errors:
        raise IntakeError(errors)
    return refs


class _Answer(_In):
    name: str = Field(min_length=1)
    values: list[str] = Field(default_factory=list)


class _GraphLead(_In):
    id: str
    created_time: datetime | None = None
    field_data: list[_Answer]
    platform: str = ""
    campaign_name: str = ""
    ad_name: str = ""


def lead_from_graph(
    graph: dict[str, Any], ref: LeadRef, settings: MetaLeadAdsSettings, *, default_country: str
) -> LeadData:
    """The Graph API's lead (`GET /<leadgen_id>`) as LeadData, mapped by the form's settings."""
    try:
        lead = _GraphLead.model_validate(graph)
    except ValidationError as exc:
        raise IntakeError([field_error(e, "lead") for e in exc.errors()]) from exc
    if lead.id != ref.leadgen_id:
        raise IntakeError([FieldError("lead.id", f"is {lead.id}, expected {ref.leadgen_id}")])
    enquiry_type, mapping = settings.form(ref.form_id)
    values: dict[str, str] = {}
    text: list[str] = []
    for answer in lead.field_data:
        value = ", ".join(v.strip() for v in answer.values if v.strip())
        target = mapping.get(answer.name, "text")
        if not value or target == "ignore":
            continue
        if target == "text":
            text.append(f"{answer.name.replace('_', ' ').rstrip('?')}: {value}")
        else:
            values.setdefault(target, value)  # the first answer for a target wins
    contact, errors = _contact(values, default_country, text)
    if errors:
        raise IntakeError(errors)
    return LeadData(
        type=enquiry_type,
        contact=contact,
        text="\n".join(text),
        project_name=values.get("project_name", "")[:200],
        utm=Utm(
            source="instagram" if lead.platform == "ig" else "facebook",
            medium="lead_ad",
            campaign=lead.campaign_name[:200],
            content=(lead.ad_name or ref.ad_id)[:200],
        ),
        external_id=ref.leadgen_id,
        submitted_at=lead.created_time or ref.created_time,
        raw={"leadgen": _ref_dict(ref), "lead": graph},
    )


def _contact(
    values: dict[str, str], default_country: str, text: list[str]
) -> tuple[ContactData, list[FieldError]]:
    errors: list[FieldError] = []
    country = values.get("contact.country", "")
    if not re.fullmatch(r"[A-Za-z]{2}", country):
        if country:  # Meta's country question answers a code; keep anything else readable
            text.append(f"country: {country}")
        country = default_country
    country = country.upper()
    first, last = values.get("contact.first_name", ""), values.get("contact.last_name", "")
    if not (first or last):
        first, last = split_name(values.get("contact.name", ""))
    email = phone = ""
    if raw_email := values.get("contact.email"):
        try:
            email = normalise_email(raw_email)
        except IdentifierError as exc:
            errors.append(FieldError("contact.email", str(exc)))
    if raw_phone := values.get("contact.phone"):
        try:
            phone = normalise_phone(raw_phone, country)
        except IdentifierError as exc:
            errors.append(FieldError("contact.phone", str(exc)))
    company = values.get("contact.company", "")
    if not (raw_email or raw_phone):
        errors.append(FieldError("contact", "an e-mail address or a phone number is required"))
    if not (last or company):
        errors.append(FieldError("contact", "a last name or a company is required"))
    contact = ContactData(
        first_name=first[:100],
        last_name=last[:100],
        company=company[:200],
        email=email,
        phone=phone,
        language=values.get("contact.language", "")[:8].lower(),
        kind="business" if company else "private",
        address=Address(
            street=values.get("contact.street", "")[:200],
            postal_code=values.get("contact.postal_code", "")[:16],
            city=values.get("contact.city", "")[:100],
            province=values.get("contact.province", "")[:40].upper(),
            country=country,
        ),
    )
    return contact, errors


def _ref_dict(ref: LeadRef) -> dict[str, Any]:
    return {
        "leadgen_id": ref.leadgen_id,
        "form_id": ref.form_id,
        "page_id": ref.page_id,
        "ad_id": ref.ad_id,
        "adgroup_id": ref.adgroup_id,
        "created_time": ref.created_time.isoformat() if ref.created_time else None,
    }
