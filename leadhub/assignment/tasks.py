"""Sending external assignments in the background, retried with back-off like offers."""

from __future__ import annotations

import logging
import smtplib

from django_tasks import task

from leadhub.notifications.retry import retry_later

from .emails import external_email
from .models import ExternalAssignment

log = logging.getLogger(__name__)


@task()
def send_external_assignment(external_id: int, sending: int, attempt: int = 1) -> str:
    """Send the `sending`-th e-mail of an external assignment (its current details)."""
    external = (
        ExternalAssignment.objects.select_related("enquiry__contact", "assigned_by")
        .filter(pk=external_id, revoked_at__isnull=True)
        .first()
    )
    if external is None:
        return "revoked: not sent"
    try:
        external_email(external).send()
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("external assignment %s failed (attempt %s): %s", external_id, attempt, exc)
        delay = retry_later(
            send_external_assignment,
            external_id,
            sending,
            attempt=attempt,
            what=f"external assignment {external_id}",
        )
        return f"failed; retry {attempt + 1} in {delay}"
    return f"sent #{sending} to {external.email}"
