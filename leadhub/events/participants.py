"""The participant list of an event (A9): what a participant-list link shows, as a page
and as an xlsx file. Name, company and how many come; no e-mails or phones."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from leadhub.enquiries.models import Status

from .models import Event, EventSignup, ParticipantLink


@dataclass(frozen=True)
class Participant:
    name: str
    company: str
    count: int
    waitlisted: bool
    signed_up_at: datetime


def participants_of(event: Event) -> list[Participant]:
    """Live sign-ups, oldest first; a closed sign-up enquiry (cancelled) is left out."""
    signups = (
        EventSignup.objects.filter(event=event)
        .exclude(enquiry__status=Status.CLOSED)
        .select_related("enquiry__contact")
    )
    return [
        Participant(
            name=s.participant_name or s.enquiry.contact.full_name(),
            company=s.enquiry.contact.company,
            count=s.participants,
            waitlisted=s.waitlisted,
            signed_up_at=s.created_at,
        )
        for s in signups
    ]


def live_link(secret: str) -> ParticipantLink | None:
    return (
        ParticipantLink.objects.select_related("event")
        .filter(secret=secret, revoked_at__isnull=True)
        .first()
    )


def xlsx_of(event: Event, rows: list[Participant]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "remove_timezone": True})
    sheet = book.add_worksheet(_("Participants")[:31])
    bold = book.add_format({"bold": True})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(
        0,
        0,
        [event.title, timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M"), event.place],
        bold,
    )
    headers = [_("Name"), _("Company"), _("Participants"), _("Waiting list"), _("Signed up")]
    sheet.write_row(2, 0, headers, bold)
    for n, p in enumerate(rows, start=3):
        sheet.write_string(n, 0, p.name)
        sheet.write_string(n, 1, p.company)
        sheet.write_number(n, 2, p.count)
        sheet.write_string(n, 3, _("yes") if p.waitlisted else "")
        sheet.write_datetime(n, 4, timezone.localtime(p.signed_up_at).replace(tzinfo=None), when)
    sheet.write_row(
        len(rows) + 4, 0, [_("Total"), "", sum(p.count for p in rows if not p.waitlisted)], bold
    )
    sheet.set_column(0, 1, 32)
    sheet.set_column(2, 4, 16)
    book.close()
    return out.getvalue()
