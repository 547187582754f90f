"""Background tasks (django-tasks): run by `leadhub db_worker`, enqueued after commit."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from leadhub.routing.models import Offer, OfferStatus

from .offers import offer_emails

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


@task()
def send_offer_email(offer_id: int, attempt: int = 1) -> str:
    offer = Offer.objects.select_related("enquiry__contact", "partner").filter(pk=offer_id).first()
    if offer is None or offer.status != OfferStatus.PENDING:
        return "offer no longer pending: nothing sent"
    messages = offer_emails(offer)
    try:
        for message in messages:
            message.send()
    except (smtplib.SMTPException, OSError) as exc:
        if attempt >= MAX_ATTEMPTS:
            log.error("offer e-mail %s failed %s times, giving up: %s", offer_id, attempt, exc)
            raise
        # Back off 1, 2, 4 ... minutes; a later attempt sends to everyone again (at least once).
        delay = timedelta(minutes=2 ** (attempt - 1))
        send_offer_email.using(run_after=timezone.now() + delay).enqueue(offer_id, attempt + 1)
        log.warning(
            "offer e-mail %s failed (attempt %s), retrying in %s: %s", offer_id, attempt, delay, exc
        )
        return f"failed, retry {attempt + 1} scheduled"
    return f"sent to {len(messages)} recipient(s)"
