"""Enquiry numbers (C9, decision 0051): the day's running sequence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadhub.enquiries.numbers import allocate_number, format_number

AT = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_a_number_is_the_local_day_and_six_digits() -> None:
    assert format_number(AT.date(), 123) == "261207/000123"


@pytest.mark.django_db(transaction=True)
def test_numbers_run_on_per_day_and_outside_a_transaction_cost_one_statement() -> None:
    with CaptureQueriesContext(connection) as seen:
        first = allocate_number(AT)
    assert (first, allocate_number(AT)) == ("261207/000001", "261207/000002")
    assert allocate_number(datetime(2026, 12, 8, 10, 0, tzinfo=UTC)) == "261208/000001"
    if connection.vendor == "postgresql":  # autocommit: no BEGIN, SET or COMMIT around it
        assert len(seen) == 1
