"""Enquiry numbers (C9): creation date plus a running sequence per day, e.g. 251122/000123."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

from .models import DailyCounter, Enquiry


def format_number(day: date, sequence: int) -> str:
    return f"{day:%y%m%d}/{sequence:06d}"


def next_number(at: datetime) -> str:
    """Allocate the next number of `at`'s local day; call inside the creating transaction.

    One upsert statement (SQLite >= 3.35 and PostgreSQL both speak it): the row lock it
    takes serialises allocation, and a rolled-back transaction gives its number back.
    """
    day = timezone.localdate(at)
    table = connection.ops.quote_name(DailyCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, last) VALUES (%s, 1) "
            f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [day],
        )
        (sequence,) = cursor.fetchone()
    return format_number(day, int(sequence))


def provisional_number() -> str:
    """A placeholder until `give_number`: unique, never shown (it never commits)."""
    return "~" + uuid.uuid4().hex[:15]


def give_number(enquiry: Enquiry) -> str:
    """Give `enquiry` its real number; call last in the creating transaction.

    The counter row stays locked until commit, so the later this runs, the less
    concurrent deliveries wait on each other.
    """
    number = next_number(enquiry.created_at)
    Enquiry.objects.filter(pk=enquiry.pk).update(number=number)
    enquiry.number = number
    # Every way in (intake, manual entry, bookings, referrals) ends here: the enquiry is
    # complete, so this is where it enters the search (decision 0049).
    from leadhub.search.index import refresh

    refresh([enquiry.pk])
    return number
