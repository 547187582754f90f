"""Report periods (pure): a month, quarter, semester or year, and the one before it.

A period is written as "2026-11", "2026-Q4", "2026-H2" or "2026"; its end is exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Granularity = Literal["month", "quarter", "semester", "year"]
GRANULARITIES: tuple[Granularity, ...] = ("month", "quarter", "semester", "year")
_MONTHS: dict[Granularity, int] = {"month": 1, "quarter": 3, "semester": 6, "year": 12}


class PeriodError(ValueError):
    """Not a period of the given granularity; the message says what is expected."""


@dataclass(frozen=True)
class Period:
    granularity: Granularity
    start: date  # first day
    end: date  # first day after

    @property
    def key(self) -> str:
        y, m = self.start.year, self.start.month
        if self.granularity == "month":
            return f"{y}-{m:02d}"
        if self.granularity == "quarter":
            return f"{y}-Q{(m - 1) // 3 + 1}"
        if self.granularity == "semester":
            return f"{y}-H{(m - 1) // 6 + 1}"
        return str(y)

    def previous(self) -> Period:
        return _starting(
            self.granularity,
            *_add_months(self.start.year, self.start.month, -_MONTHS[self.granularity]),
        )

    def next(self) -> Period:
        return _starting(self.granularity, self.end.year, self.end.month)

    def months(self) -> list[date]:
        """The first day of each month in the period (the overview's buckets)."""
        return [
            date(*_add_months(self.start.year, self.start.month, i), 1)
            for i in range(_MONTHS[self.granularity])
        ]

    def buckets(self) -> tuple[Literal["day", "month"], list[date]]:
        """Points of the overview's time axis: days of a month, else months."""
        if self.granularity != "month":
            return "month", self.months()
        return "day", [
            date.fromordinal(d) for d in range(self.start.toordinal(), self.end.toordinal())
        ]


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _starting(granularity: Granularity, year: int, month: int) -> Period:
    end_y, end_m = _add_months(year, month, _MONTHS[granularity])
    return Period(granularity, date(year, month, 1), date(end_y, end_m, 1))


def containing(granularity: Granularity, day: date) -> Period:
    """The period of this granularity that contains `day`."""
    size = _MONTHS[granularity]
    return _starting(granularity, day.year, (day.month - 1) // size * size + 1)


def parse(granularity: str, text: str) -> Period:
    """The period written `text` ("2026-11", "2026-Q4", "2026-H2", "2026")."""
    if granularity not in _MONTHS:
        raise PeriodError(f"Choose month, quarter, semester or year, not {granularity!r}.")
    g: Granularity = granularity
    examples = {"month": "2026-11", "quarter": "2026-Q4", "semester": "2026-H2", "year": "2026"}
    wrong = PeriodError(f"{text!r} is not a {g}; write it like {examples[g]}.")
    text = text.strip().upper()
    year_text, _, rest = text.partition("-")
    if not (year_text.isdigit() and len(year_text) == 4) or int(year_text) < 1900:
        raise wrong
    year = int(year_text)
    if g == "year":
        if rest:
            raise wrong
        return _starting(g, year, 1)
    letter = {"month": "", "quarter": "Q", "semester": "H"}[g]
    if not rest.startswith(letter) or not rest[len(letter) :].isdigit():
        raise wrong
    number = int(rest[len(letter) :])
    count = 12 // _MONTHS[g]
    if not 1 <= number <= count or (g == "month" and len(rest) != 2):
        raise wrong
    return _starting(g, year, (number - 1) * _MONTHS[g] + 1)
