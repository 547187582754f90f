"""Contact conveniences (D4): a map link, and a mailto with a greeting per enquiry type and
language that the advisor edits before sending."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from leadhub.contacts.models import Contact
from leadhub.enquiries.models import Enquiry

SUBJECTS = {
    "quote": gettext_noop("Your quote request {number}"),
    "appointment": gettext_noop("Your appointment request {number}"),
    "sample": gettext_noop("Your sample request {number}"),
    "brochure": gettext_noop("Your brochure request {number}"),
    "test_drive": gettext_noop("Your test drive {number}"),
    "event": gettext_noop("Your registration {number}"),
}
OTHER = gettext_noop("Your enquiry {number}")


def map_url(contact: Contact) -> str:
    """OpenStreetMap search for the address (opens the phone's map app on mobiles)."""
    return "https://www.openstreetmap.org/search?" + urlencode({"query": contact.address_line()})


def mailto(enquiry: Enquiry, sender_name: str) -> str:
    contact = enquiry.contact
    language = contact.language or enquiry.language or "en"
    with translation.override(language):
        subject = _(SUBJECTS.get(enquiry.type, OTHER)).format(number=enquiry.number)
        name = contact.full_name() or contact.company
        body = "\n\n".join(
            [
                _("Dear %(name)s,") % {"name": name},
                _("thank you for your enquiry. I will gladly take care of it personally."),
                _("Kind regards,") + "\n" + sender_name,
            ]
        )
    return f"mailto:{quote(contact.email)}?" + urlencode(
        {"subject": subject, "body": body}, quote_via=quote
    )
