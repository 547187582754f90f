"""Sending the broker's e-mails in the background, retried with back-off like offers."""

from __future__ import annotations

import logging
import smtplib

from django.utils import timezone
from django_tasks import task

from leadhub.notifications.retry import retry_later

from .emails import broker_email
from .models import ReferralMessage

log = logging.getLogger(__name__)


@task()
def send_referral_message(message_id: int, attempt: int = 1) -> str:
    message = (
        ReferralMessage.objects.select_related("referral__form", "referral__brand", "author")
        .filter(pk=message_id, sent_at__isnull=True)
        .first()
    )
    if message is None:
        return "sent already"
    try:
        broker_email(message).send()
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("referral message %s failed (attempt %s): %s", message_id, attempt, exc)
        delay = retry_later(
            send_referral_message,
            message_id,
            attempt=attempt,
            what=f"referral message {message_id}",
        )
        return f"failed; retry {attempt + 1} in {delay}"
    ReferralMessage.objects.filter(pk=message_id).update(sent_at=timezone.now())
    return f"sent to {message.sent_to}"
