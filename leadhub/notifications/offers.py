"""The e-mail to a partner about a new offer (G1): a deep link, no personal data."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from leadhub.orgs.access import levels_by_category
from leadhub.orgs.models import RightLevel, User
from leadhub.routing.models import Offer


def offer_recipients(offer: Offer) -> list[User]:
    """The partner's active users who see the whole category: the ones responsible for offers."""
    users = User.objects.filter(organisation=offer.partner, is_active=True).exclude(email="")
    category = offer.enquiry.type
    return [u for u in users if levels_by_category(u, [category])[category] == RightLevel.ALL]


def offer_emails(offer: Offer) -> list[EmailMessage]:
    enquiry = offer.enquiry
    postal_code, city, country = enquiry.site_or_contact_place()
    link = f"{settings.BASE_URL}/enquiries/{enquiry.url_number}/"
    messages = []
    recipients = offer_recipients(offer)
    targets = [(u.email, u.language) for u in recipients] or [(offer.partner.email, "")]
    for address, language in targets:
        if not address:
            continue
        with translation.override(language or settings.LANGUAGE_CODE):
            context = {
                "offer": offer,
                "enquiry": enquiry,
                "area": f"{postal_code[:2]}… {city}".strip(),
                "country": country,
                "deadline": timezone.localtime(offer.deadline_at),
                "link": link,
            }
            subject = render_to_string("notifications/offer_subject.txt", context).strip()
            body = render_to_string("notifications/offer_body.txt", context)
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
    return messages
