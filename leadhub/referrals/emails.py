"""E-mails to brokers (G2): a decision on their referral with the brand's comment, or a
free message. Replies go to the user who wrote it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from .models import ReferralMessage


def broker_email(message: ReferralMessage) -> EmailMessage:
    referral = message.referral
    author = message.author
    language = (author.language if author else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "message": message,
            "referral": referral,
            "form": referral.form,
            "brand": referral.brand,
            "author": author,
        }
        subject = render_to_string("referrals/broker_subject.txt", context).strip()
        body = render_to_string("referrals/broker_body.txt", context)
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [message.sent_to],
        reply_to=[author.email] if author and author.email else [],
    )
