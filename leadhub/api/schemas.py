"""Response shapes of the JSON API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Schema

from .extras import EventSignupOut, ItemLineOut, QuoteOut


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


class RoutedTo(Schema):
    kind: str  # offer, user, unit or dispatcher
    target: str  # partner key, username, unit key or brand key
    description: str


class IntakeOut(Schema):
    number: str
    status: str
    routed_to: RoutedTo
    url: str


class AdfIntakeOut(IntakeOut):
    """The first prospect's answer, and every prospect's in `enquiries`."""

    enquiries: list[IntakeOut]


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class AddressOut(Schema):
    street: str
    postal_code: str
    city: str
    province: str
    country: str


class ContactOut(Schema):
    kind: str
    title: str
    first_name: str
    last_name: str
    company: str
    email: str
    phone: str
    language: str
    address: AddressOut


class OfferOut(Schema):
    partner: str
    status: str
    created_at: datetime
    deadline_at: datetime


class EnquirySummaryOut(Schema):
    access: str  # owner, preview (pending offer: anonymised) or origin (the brand, read-only)
    number: str
    type: str
    status: str
    created_at: datetime
    due_at: datetime | None
    channel: str | None
    owner: str
    assigned_to: str | None
    contact_name: str  # empty in a preview
    postal_code: str  # only the area (first two characters) in a preview
    city: str
    returned: bool
    offer: OfferOut | None


class HistoryOut(Schema):
    id: int
    at: datetime
    category: str
    kind: str
    message: str
    actor: str | None
    organisation: str | None


class PipelineOut(Schema):
    actions: list[str]  # what the user may do now
    last_active_status: str
    close_reason_group: str
    close_reason: str
    appointment_at: datetime | None
    appointment_place: str
    appointment_unit: str | None


class ValuesOut(Schema):
    """C8 project values; null for a brand looking at a partner's enquiry (F3)."""

    configuration_number: str
    quote_number: str
    quote_amount: Decimal | None
    order_number: str
    order_amount: Decimal | None
    customer_decision: str  # C11: "", "imported" or "not_imported"
    customer_number: str  # the contact's number in the owner's customer base


class EnquiryDetailOut(EnquirySummaryOut):
    text: str  # personal data removed in a preview
    language: str
    contact: ContactOut | None  # None in a preview
    site_address: AddressOut | None
    project_name: str
    project_type: str  # renovation, new_build, other or empty
    referrer_url: str
    utm: dict[str, str]
    external_id: str
    submitted_at: datetime | None
    tags: list[str]  # your organisation's tags on it
    pipeline: PipelineOut | None  # None in a preview
    values: ValuesOut | None  # None in a preview and for the brand (never a partner's amounts)
    history: list[HistoryOut]
    # A7: the ERP's quotes and orders, for the owner only (None for anyone else).
    quotes: list[QuoteOut] | None = None
    items: list[ItemLineOut] = []  # A8: requested samples and brochures
    event: EventSignupOut | None = None  # A9: the event of a sign-up


class EnquiryPageOut(Schema):
    items: list[EnquirySummaryOut]
    next_cursor: str | None


class ActionIn(Schema):
    at: datetime | None = None
    in_days: int | None = None
    place: str = ""
    showroom: str | None = None  # unit key
    reason_group: str = ""
    reason: str = ""
    configuration_number: str | None = None
    quote_number: str | None = None
    quote_amount: Decimal | None = None
    order_number: str | None = None
    order_amount: Decimal | None = None


class BulkIn(Schema):
    numbers: list[str]
    action: str  # start, hold, hold_quote or close
    reason_group: str = ""
    reason: str = ""


class BulkRowOut(Schema):
    number: str
    ok: bool
    detail: str


class BulkOut(Schema):
    results: list[BulkRowOut]


class CustomerIn(Schema):
    """C11: import the won enquiry's contact as a customer (number optional: the next
    free one is given), or close it without import."""

    import_contact: bool
    customer_number: str = ""


class ProjectIn(Schema):
    """C8: only the fields sent change; an empty string clears one."""

    project_name: str | None = None
    project_type: str | None = None
    site_street: str | None = None
    site_postal_code: str | None = None
    site_city: str | None = None
    site_province: str | None = None
    site_country: str | None = None


class TagIn(Schema):
    name: str


class NoteIn(Schema):
    text: str


class RejectIn(Schema):
    reason: str


class AssignIn(Schema):
    """One target: `target` as "user:<username>", "unit:<key>", "partner:<key>" or
    "email:<address>" (from GET .../assign/targets), or one of the named fields."""

    target: str | None = None
    user: str | None = None
    unit: str | None = None
    partner: str | None = None
    email: str | None = None
    message: str = ""  # to the recipient of an e-mail assignment (B6)
    copy_to_me: bool = False


class TargetOut(Schema):
    ref: str
    kind: str
    key: str
    label: str
    detail: str
    internal: bool


class AssignedOut(Schema):
    number: str
    description: str
    external_assignment_id: int | None


class RoutedOut(Schema):
    number: str
    routed_to: RoutedTo
    explanation: str
