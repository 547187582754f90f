"""Background tasks (django-tasks): run by `leadhub db_worker`, enqueued after commit."""

from __future__ import annotations

import logging
import smtplib

from django_tasks import task

from leadhub.routing.models import Offer, OfferStatus

from .offers import offer_emails
from .retry import retry_later

log = logging.getLogger(__name__)


@task()
def send_offer_emails(offer_ids: list[int], attempt: int = 1) -> str:
    """E-mail the partners about new offers; failed ones are retried with back-off."""
    offers = Offer.objects.select_related(
        "enquiry__contact", "enquiry__origin_brand", "partner"
    ).filter(pk__in=offer_ids, status=OfferStatus.PENDING)
    sent, failed = 0, []
    for offer in offers:
        try:
            for message in offer_emails(offer):
                message.send()
                sent += 1
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("offer e-mail %s failed (attempt %s): %s", offer.pk, attempt, exc)
            failed.append(offer.pk)
    if failed:
        # A retried offer goes to all its recipients again.
        delay = retry_later(
            send_offer_emails, failed, attempt=attempt, what=f"offer e-mails {failed}"
        )
        return f"sent {sent}; {len(failed)} failed, retry {attempt + 1} in {delay}"
    return f"sent {sent}"
