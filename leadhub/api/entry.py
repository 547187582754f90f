"""Manual entry (A6) and sharing with a brand (B10) through the API."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema, Status

from leadhub.enquiries.manual import (
    EntryRefused,
    ManualEntry,
    NewContact,
    enter,
    share,
    stop_sharing,
)
from leadhub.enquiries.queries import enquiry_for_user
from leadhub.web.views.entry import may_enter, may_share

from .auth import current_user
from .enquiries import NUMBER, acting_on, detail_for, router
from .schemas import EnquiryDetailOut, ErrorOut


class NewContactIn(Schema):
    kind: str = "private"
    title: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    email: str = ""
    phone: str = ""
    language: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    province: str = ""
    country: str = ""


class ManualEntryIn(Schema):
    type: str
    text: str = ""
    project_name: str = ""
    contact: NewContactIn | None = None
    contact_id: int | None = None  # an existing contact of your organisation instead
    route: bool = True  # brands: route by the rules; false keeps it with you
    share_with: str = ""  # partners: a brand's key (business or prescriber contacts only)


class ShareIn(Schema):
    brand: str | None = None  # null stops sharing


ENTERED = {201: EnquiryDetailOut, 200: EnquiryDetailOut, 403: ErrorOut, 422: ErrorOut}


@router.post("", response=ENTERED, summary="Enter an enquiry by hand (A6)")
def enter_enquiry(request: HttpRequest, body: ManualEntryIn) -> object:
    """An `Idempotency-Key` header makes a retry return the first enquiry (200) instead
    of entering a second one."""
    user = current_user(request)
    if not may_enter(user):
        return Status(403, {"detail": "Your role may not enter enquiries."})
    entry = ManualEntry(
        type=body.type,
        text=body.text,
        project_name=body.project_name,
        contact=NewContact(**body.contact.dict()) if body.contact else None,
        contact_id=body.contact_id,
        route=body.route,
        share_with=body.share_with,
        entry_key=request.headers.get("Idempotency-Key", "")[:64],
    )
    try:
        enquiry, created = enter(entry, by=user, now=timezone.now())
    except EntryRefused as exc:
        return Status(422, {"detail": str(exc)})
    enquiry, access = enquiry_for_user(user, enquiry.number)
    return Status(201 if created else 200, detail_for(user, enquiry, access))


@router.put(NUMBER + "/sharing", response=ENTERED, summary="Share with a brand, or stop (B10)")
def sharing(request: HttpRequest, number: str, body: ShareIn) -> object:
    user, enquiry, access = acting_on(request, number, may_share)
    try:
        if body.brand:
            share(enquiry, body.brand, by=user, now=timezone.now())
        else:
            stop_sharing(enquiry, by=user, now=timezone.now())
    except EntryRefused as exc:
        return Status(422, {"detail": str(exc)})
    enquiry, access = enquiry_for_user(user, number)
    return detail_for(user, enquiry, access)
