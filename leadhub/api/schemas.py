"""Response shapes of the JSON API."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


class RoutedTo(Schema):
    kind: str
    organisation: str
    description: str


class IntakeOut(Schema):
    number: str
    status: str
    routed_to: RoutedTo
    url: str


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


class EnquirySummaryOut(Schema):
    number: str
    type: str
    status: str
    created_at: datetime
    due_at: datetime | None
    channel: str | None
    owner: str
    assigned_to: str | None
    contact_name: str
    postal_code: str
    city: str


class HistoryOut(Schema):
    at: datetime
    category: str
    kind: str
    message: str
    actor: str | None
    organisation: str | None


class EnquiryDetailOut(EnquirySummaryOut):
    text: str
    language: str
    contact: ContactOut
    site_address: AddressOut | None
    project_name: str
    referrer_url: str
    utm: dict[str, str]
    external_id: str
    submitted_at: datetime | None
    history: list[HistoryOut]


class EnquiryPageOut(Schema):
    items: list[EnquirySummaryOut]
    next_cursor: str | None
