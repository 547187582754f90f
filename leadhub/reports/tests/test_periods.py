"""Periods (pure): parsing, containing, previous and the overview's buckets."""

from __future__ import annotations

from datetime import date

import pytest

from leadhub.reports.periods import PeriodError, containing, parse


@pytest.mark.parametrize(
    ("granularity", "text", "start", "end"),
    [
        ("month", "2026-11", date(2026, 11, 1), date(2026, 12, 1)),
        ("month", "2026-12", date(2026, 12, 1), date(2027, 1, 1)),
        ("quarter", "2026-Q1", date(2026, 1, 1), date(2026, 4, 1)),
        ("quarter", "2026-q4", date(2026, 10, 1), date(2027, 1, 1)),
        ("semester", "2026-H2", date(2026, 7, 1), date(2027, 1, 1)),
        ("year", "2026", date(2026, 1, 1), date(2027, 1, 1)),
    ],
)
def test_parse(granularity: str, text: str, start: date, end: date) -> None:
    p = parse(granularity, text)
    assert (p.start, p.end) == (start, end)
    assert parse(granularity, p.key) == p


@pytest.mark.parametrize(
    ("granularity", "text"),
    [
        ("month", "2026-13"),
        ("month", "2026-1"),
        ("month", "26-11"),
        ("quarter", "2026-Q5"),
        ("quarter", "2026-11"),
        ("semester", "2026-H3"),
        ("year", "2026-01"),
        ("year", "abcd"),
        ("week", "2026-01"),
    ],
)
def test_parse_refuses(granularity: str, text: str) -> None:
    with pytest.raises(PeriodError):
        parse(granularity, text)


def test_previous_crosses_years() -> None:
    assert parse("month", "2026-01").previous().key == "2025-12"
    assert parse("quarter", "2026-Q1").previous().key == "2025-Q4"
    assert parse("semester", "2026-H1").previous().key == "2025-H2"
    assert parse("year", "2026").previous().key == "2025"
    assert parse("quarter", "2025-Q4").next().key == "2026-Q1"


def test_containing() -> None:
    day = date(2026, 8, 31)
    assert containing("month", day).key == "2026-08"
    assert containing("quarter", day).key == "2026-Q3"
    assert containing("semester", day).key == "2026-H2"
    assert containing("year", day).key == "2026"


def test_buckets() -> None:
    unit, days = parse("month", "2026-02").buckets()
    assert unit == "day" and len(days) == 28 and days[0] == date(2026, 2, 1)
    unit, months = parse("quarter", "2026-Q4").buckets()
    assert unit == "month" and months == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]
    assert len(parse("year", "2026").buckets()[1]) == 12
