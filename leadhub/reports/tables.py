"""What a report hands to the page, the API and the downloads: tables (and their charts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Kind = Literal["text", "count", "percent", "hours", "amount"]
Cell = str | int | float | Decimal | None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = "count"


@dataclass
class Table:
    key: str  # the download's name: <report>-<key>.csv
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: str = ""  # an SVG (reports/svg.py) of the same numbers, or ""

    def as_dicts(self) -> list[dict[str, Cell]]:
        return [dict(zip([c.key for c in self.columns], row, strict=True)) for row in self.rows]


@dataclass
class Report:
    name: str
    title: str
    period: str
    previous: str | None
    tables: list[Table]

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)


def share(part: int, whole: int) -> float | None:
    """A percentage with one decimal; None (shown as a dash) when there is no whole."""
    return round(100 * part / whole, 1) if whole else None


def change(now: int, before: int) -> float | None:
    return round(100 * (now - before) / before, 1) if before else None
