"""Sending the broker's e-mails in the background, retried with back-off like offers."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .emails import broker_email
from .models import ReferralMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


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
        if attempt >= MAX_ATTEMPTS:
            raise RuntimeError(f"referral message {message_id} failed {attempt} times") from exc
        log.warning("referral message %s failed (attempt %s): %s", message_id, attempt, exc)
        delay = timedelta(minutes=2 ** (attempt - 1))
        send_referral_message.using(run_after=timezone.now() + delay).enqueue(
            message_id, attempt + 1
        )
        return f"failed; retry {attempt + 1} in {delay}"
    ReferralMessage.objects.filter(pk=message_id).update(sent_at=timezone.now())
    return f"sent to {message.sent_to}"
