"""Absences and substitutes (B8), pure: who stands in for a user on a given day."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class AbsenceSpec:
    starts_on: date | None = None
    ends_on: date | None = None  # inclusive; None with a start means open-ended
    weekdays: tuple[str, ...] = ()  # recurring: away every such weekday (within the range, if any)
    substitute: int | None = None  # user id

    def covers(self, day: date) -> bool:
        if self.starts_on and day < self.starts_on:
            return False
        if self.ends_on and day > self.ends_on:
            return False
        if self.weekdays:
            return WEEKDAYS[day.weekday()] in self.weekdays
        return self.starts_on is not None or self.ends_on is not None


def stand_in(
    user: int, day: date, absences: Mapping[int, Sequence[AbsenceSpec]]
) -> tuple[int | None, list[int]]:
    """Who takes `user`'s work on `day`: the user, a substitute (followed further when the
    substitute is away too), or None when the chain ends with nobody present.
    Returns the person and the chain of absent users passed over."""
    skipped: list[int] = []
    current: int | None = user
    while current is not None:
        away = next((a for a in absences.get(current, ()) if a.covers(day)), None)
        if away is None:
            return current, skipped
        skipped.append(current)
        current = away.substitute
        if current in skipped:
            return None, skipped  # substitutes point at each other: nobody is in
    return None, skipped
