"""The working-time calendar of an organisation (pure arithmetic: leadhub.lib.workingtime)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from leadhub.lib.workingtime import Calendar, make_calendar

from .models import Organisation


def calendar_of(org: Organisation) -> Calendar:
    return _cached(
        org.timezone,
        tuple(sorted(org.working_hours.items())),
        org.country,
        org.subdivision or None,
        tuple(org.closing_days or ()),
    )


@lru_cache(maxsize=4096)
def _cached(
    timezone: str,
    hours: tuple[tuple[str, str], ...],
    country: str,
    subdivision: str | None,
    closing_days: tuple[str, ...],
) -> Calendar:
    # Keyed by value, so an edited calendar is rebuilt and an unchanged one never is.
    return make_calendar(
        timezone=timezone,
        working_hours=dict(hours),
        country=country,
        subdivision=subdivision,
        closing_days=[date.fromisoformat(d) for d in closing_days],
    )
