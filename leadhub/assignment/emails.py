"""The e-mail of an external assignment (B6): everything the recipient needs to work the
enquiry, and a private link to it (with its documents) that works until revoked."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from leadhub.documents.models import Document

from .models import ExternalAssignment


def external_link(external: ExternalAssignment) -> str:
    return f"{settings.BASE_URL}/external/{external.secret}/"


def external_email(external: ExternalAssignment) -> EmailMessage:
    enquiry = external.enquiry
    by = external.assigned_by
    with translation.override(by.language or settings.LANGUAGE_CODE):
        context = {
            "external": external,
            "enquiry": enquiry,
            "contact": enquiry.contact,
            "by": by,
            "link": external_link(external),
            "resent": external.sent_count > 1,
            "documents": [
                (d.filename, f"{external_link(external)}documents/{d.pk}/")
                for d in Document.objects.filter(enquiry=enquiry, removed_at__isnull=True)
            ],
        }
        subject = render_to_string("assignment/external_subject.txt", context).strip()
        body = render_to_string("assignment/external_body.txt", context)
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [external.email],
        cc=[by.email] if external.copy_to_sender else [],
        reply_to=[by.email] if by.email else [],
    )
