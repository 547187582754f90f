"""Sending external assignments in the background, retried with back-off like offers."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .emails import external_email
from .models import ExternalAssignment

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


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
        if attempt >= MAX_ATTEMPTS:
            raise RuntimeError(f"external assignment {external_id} failed {attempt} times") from exc
        log.warning("external assignment %s failed (attempt %s): %s", external_id, attempt, exc)
        delay = timedelta(minutes=2 ** (attempt - 1))
        send_external_assignment.using(run_after=timezone.now() + delay).enqueue(
            external_id, sending, attempt + 1
        )
        return f"failed; retry {attempt + 1} in {delay}"
    return f"sent #{sending} to {external.email}"
