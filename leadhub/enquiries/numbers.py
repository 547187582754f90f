"""Enquiry numbers (C9): creation date plus a running sequence per day, e.g. 251122/000123."""

from __future__ import annotations

from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone

from .models import DailyCounter


def format_number(day: date, sequence: int) -> str:
    return f"{day:%y%m%d}/{sequence:06d}"


def allocate_number(at: datetime) -> str:
    """Allocate the next number of `at`'s local day (decision 0051).

    Outside a transaction (intake calls it just before the creating one) it commits on
    its own at once, so the day's counter row is locked for one statement and concurrent
    deliveries never queue behind each other's work; a delivery that fails afterwards
    leaves a gap. Inside a transaction the row stays locked until commit and a rollback
    gives the number back.
    """
    day = timezone.localdate(at)
    table = connection.ops.quote_name(DailyCounter._meta.db_table)
    # One upsert (SQLite >= 3.35 and PostgreSQL both speak it).
    upsert = (
        f"INSERT INTO {table} (day, last) {{values}} "
        f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last"
    )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # In autocommit the statement is its own transaction: one round trip. It commits
        # without waiting for the disk: an enquiry holding this number commits later and
        # synchronously, which flushes this earlier WAL record too.
        off = "SELECT set_config('synchronous_commit', 'off', true)"
        with connection.cursor() as cursor:
            cursor.execute(upsert.format(values=f"SELECT %s, 1 FROM ({off}) s"), [day])
            (sequence,) = cursor.fetchone()
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(upsert.format(values="VALUES (%s, 1)"), [day])
            (sequence,) = cursor.fetchone()
    return format_number(day, int(sequence))
