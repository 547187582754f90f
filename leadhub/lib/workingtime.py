"""Working-time arithmetic: deadlines counted in opening hours, not wall-clock hours.

Framework-free on purpose (no Django) so it can be tested and reasoned about in isolation.

Model
-----
A :class:`Calendar` has weekly opening intervals in *local wall time* plus closed dates
(public holidays and extra closing days). Each interval is turned into a half-open range of
real instants ``[open, close)`` for the concrete date, so DST days have their real length
(an 00:00-24:00 day lasts 23 h in spring and 25 h in autumn) and all arithmetic is done on
aware UTC datetimes with exact integer ``timedelta`` maths (no float drift).

A wall time is mapped to the *first instant the local clock reads that time or later*:

* a repeated wall time (autumn) maps to its first occurrence;
* a skipped wall time (spring) maps to the instant of the jump.

The mapping is monotone, so consecutive intervals never overlap in real time and
adjacent ones (``12:00-13:00,13:00-17:00`` or ``...-24:00`` followed by ``00:00-...``) touch.

An interval end of ``time(0)`` means 24:00 (midnight at the end of the day); ``time`` cannot
represent 24:00 and a start is never midnight-at-end, so this is unambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = [
    "DEFAULT_WORKING_HOURS",
    "WEEKDAYS",
    "Calendar",
    "Intervals",
    "WorkingHoursError",
    "add_working_days",
    "add_working_hours",
    "make_calendar",
    "parse_working_hours",
    "working_time_between",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

DEFAULT_WORKING_HOURS: dict[str, str] = {
    day: "08:00-12:00,13:00-17:00" for day in ("mon", "tue", "wed", "thu", "fri")
}

Intervals = tuple[tuple[time, time], ...]
"""Opening intervals of one weekday, ascending; an end of ``time(0)`` means 24:00."""

_ONE_DAY = timedelta(days=1)
_ONE_SECOND = timedelta(seconds=1)
_DAY_SECONDS = 24 * 3600
# Searching further than this for the next open minute means the calendar is effectively
# never open; fail loudly instead of looping towards date.max.
_MAX_IDLE_DAYS = 10 * 366
_RANGE_RE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


class WorkingHoursError(ValueError):
    """Invalid working-hours configuration; the message lists every problem found."""

    def __init__(self, *problems: str) -> None:
        self.problems: tuple[str, ...] = problems
        super().__init__("; ".join(problems))


# --------------------------------------------------------------------------- parsing


def _range_minutes(match: re.Match[str] | None) -> tuple[int, int] | None:
    if match is None:
        return None
    sh, sm, eh, em = (int(g) for g in match.groups())
    if sh > 23 or sm > 59 or em > 59 or eh > 24 or (eh == 24 and em != 0):
        return None
    return sh * 60 + sm, eh * 60 + em


def _minutes_to_time(minutes: int) -> time:
    return time(0) if minutes == 24 * 60 else time(minutes // 60, minutes % 60)


def _parse_day(name: str, value: object) -> tuple[Intervals, list[str]]:
    if not isinstance(value, str):
        return (), [f"{name}: expected text like '08:00-12:00,13:00-17:00', got {value!r}"]
    text = value.strip()
    if not text or text.lower() == "closed":
        return (), []
    problems: list[str] = []
    ranges: list[tuple[int, int]] = []
    previous = ""
    for raw in text.split(","):
        part = raw.strip()
        bounds = _range_minutes(_RANGE_RE.fullmatch(part))
        if bounds is None:
            problems.append(f"{name}: {part!r} is not a time range HH:MM-HH:MM")
            continue
        start, end = bounds
        if start >= end:
            problems.append(f"{name}: {part!r} does not end after it starts")
            continue
        if ranges and start < ranges[-1][1]:
            problems.append(
                f"{name}: {part!r} overlaps or comes before {previous!r}; "
                "ranges must be ascending and must not overlap"
            )
            continue
        ranges.append(bounds)
        previous = part
    intervals = tuple((_minutes_to_time(s), _minutes_to_time(e)) for s, e in ranges)
    return intervals, problems


def parse_working_hours(spec: Mapping[str, str]) -> dict[int, Intervals]:
    """Parse ``{"mon": "08:00-12:00,13:00-17:00", "sat": "closed", ...}``.

    Keys are weekday names from :data:`WEEKDAYS` (case-insensitive). A value of ``""`` or
    ``"closed"`` closes the day; missing weekdays are closed. ``24:00`` is accepted as an end
    and returned as ``time(0)``. The result always has all seven weekdays (0 = Monday).

    Raises :class:`WorkingHoursError` listing every problem, joined by ``"; "``, so a form
    can show them all at once.
    """
    result: dict[int, Intervals] = dict.fromkeys(range(7), ())
    problems: list[str] = []
    seen: set[str] = set()
    for key, value in spec.items():
        name = key.strip().lower() if isinstance(key, str) else key
        if name not in WEEKDAYS:
            problems.append(f"unknown weekday {key!r}; expected one of {', '.join(WEEKDAYS)}")
            continue
        if name in seen:
            problems.append(f"{name}: given more than once")
            continue
        seen.add(name)
        intervals, day_problems = _parse_day(name, value)
        problems.extend(day_problems)
        result[WEEKDAYS.index(name)] = intervals
    if problems:
        raise WorkingHoursError(*problems)
    return result


def _validate_hours(hours: Mapping[int, Intervals]) -> tuple[Intervals, ...]:
    """Check hand-built calendars the same way the parser does; return a 7-tuple by weekday."""
    problems: list[str] = []
    week: list[Intervals] = [()] * 7
    for weekday, intervals in hours.items():
        if not (isinstance(weekday, int) and 0 <= weekday <= 6):
            problems.append(f"unknown weekday index {weekday!r}; expected 0 (Mon) to 6 (Sun)")
            continue
        name = WEEKDAYS[weekday]
        previous_end = -1
        for start, end in intervals:
            if any(t.tzinfo is not None or t.microsecond for t in (start, end)):
                problems.append(f"{name}: {start}-{end} must be naive whole-second times")
                continue
            s = start.hour * 3600 + start.minute * 60 + start.second
            e = end.hour * 3600 + end.minute * 60 + end.second or _DAY_SECONDS
            if s >= e or s < previous_end:
                problems.append(f"{name}: {start}-{end} is empty, reversed or overlapping")
                continue
            previous_end = e
        week[weekday] = tuple(intervals)
    if problems:
        raise WorkingHoursError(*problems)
    return tuple(week)


# --------------------------------------------------------------------------- calendar


def _first_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """First UTC instant at which the local clock on ``day`` reads ``at`` or later."""
    naive = datetime.combine(day, at)
    # fold=0 picks the first occurrence of a repeated (autumn) wall time.
    utc = naive.replace(tzinfo=tz).astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) == naive:
        return utc
    # Skipped (spring) wall time: the answer is the jump itself. The two fold readings
    # bracket it; binary-search to the second (transitions fall on whole seconds).
    other = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    lo, hi = min(utc, other), max(utc, other)
    while hi - lo > _ONE_SECOND:
        mid = lo + timedelta(seconds=(hi - lo) // _ONE_SECOND // 2)
        if mid.astimezone(tz).replace(tzinfo=None) >= naive:
            hi = mid
        else:
            lo = mid
    return hi


@lru_cache(maxsize=8192)
def _day_instants(
    tz: ZoneInfo, day: date, intervals: Intervals
) -> tuple[tuple[datetime, datetime], ...]:
    # Cached because deadline searches revisit the same days over and over.
    out: list[tuple[datetime, datetime]] = []
    for start, end in intervals:
        opens = _first_instant(day, start, tz)
        closes = (
            _first_instant(day + _ONE_DAY, end, tz)
            if end == time(0)
            else _first_instant(day, end, tz)
        )
        if closes > opens:  # an interval entirely inside a skipped hour has no real length
            out.append((opens, closes))
    return tuple(out)


@lru_cache(maxsize=512)
def _public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year).keys())


@dataclass(frozen=True)
class Calendar:
    """Opening hours of one place. Build it with :func:`make_calendar`.

    ``closed_dates`` holds the public holidays of ``holiday_years`` merged with the extra
    closing days. Public holidays of any other year are looked up lazily (and cached) when
    ``country`` is set, so deadlines far in the future still skip holidays: always ask
    :meth:`is_closed_date` rather than testing ``closed_dates`` directly.

    Direct construction (e.g. in tests) works with just the first three fields.
    """

    timezone: ZoneInfo
    hours: Mapping[int, Intervals]
    closed_dates: frozenset[date] = frozenset()
    country: str | None = None
    subdivision: str | None = None
    holiday_years: frozenset[int] = frozenset()
    _week: tuple[Intervals, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        week = _validate_hours(self.hours)
        # Copy and freeze so later changes to the caller's dict cannot alter the calendar.
        object.__setattr__(self, "hours", MappingProxyType(dict(enumerate(week))))
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        object.__setattr__(self, "holiday_years", frozenset(self.holiday_years))
        object.__setattr__(self, "_week", week)

    @property
    def has_hours(self) -> bool:
        """False if no weekday has any opening interval."""
        return any(self._week)

    def is_closed_date(self, day: date) -> bool:
        """True for public holidays (any year) and extra closing days."""
        if day in self.closed_dates:
            return True
        if self.country is None:
            return False
        # Neighbouring years too: an observed holiday can spill across New Year.
        return any(
            day in _public_holidays(self.country, self.subdivision, year)
            for year in (day.year - 1, day.year, day.year + 1)
            if year not in self.holiday_years
        )

    def open_intervals(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """Half-open UTC ranges ``[open, close)`` in which the place is open on local ``day``."""
        if self.is_closed_date(day):
            return ()
        return _day_instants(self.timezone, day, self._week[day.weekday()])

    def is_open(self, at: datetime) -> bool:
        """Whether the aware instant ``at`` falls inside an opening interval (ends excluded)."""
        _require_aware(at, "at")
        at = at.astimezone(UTC)
        local_day = at.astimezone(self.timezone).date()
        # Neighbouring days too: around a DST change an instant can belong to an interval
        # of the previous/next local date (e.g. a zone falling back across midnight).
        return any(
            opens <= at < closes
            for offset in (-1, 0, 1)
            for opens, closes in self.open_intervals(local_day + offset * _ONE_DAY)
        )


def _resolve_region(country: str, subdivision: str | None) -> tuple[str, str | None]:
    code = country.strip().upper()
    supported = holidays.list_supported_countries()
    if code not in supported:
        raise WorkingHoursError(
            f"unknown country {country!r}; expected a country code supported by the "
            "holidays package, e.g. 'IT'"
        )
    if not subdivision or not subdivision.strip():
        return code, None
    sub = subdivision.strip()
    if sub.upper() in supported[code]:
        sub = sub.upper()
    try:
        holidays.country_holidays(code, subdiv=sub)  # also accepts the package's aliases
    except NotImplementedError:
        known = ", ".join(supported[code]) or "none"
        raise WorkingHoursError(
            f"unknown subdivision {subdivision!r} for country {code}; expected one of: {known}"
        ) from None
    return code, sub


def make_calendar(
    *,
    timezone: str,
    working_hours: Mapping[str, str] | None,
    country: str | None,
    subdivision: str | None = None,
    closing_days: Iterable[date] = (),
    years: Iterable[int] | None = None,
) -> Calendar:
    """Build a :class:`Calendar`.

    ``working_hours`` ``None`` means :data:`DEFAULT_WORKING_HOURS`. ``country`` (ISO code,
    case-insensitive) and ``subdivision`` (e.g. Italian province ``"BZ"``) select public
    holidays from the ``holidays`` package; ``None``/``""`` means no public holidays.
    ``years`` only chooses which years are precomputed into ``closed_dates`` (default: last
    year to three years ahead); other years are resolved lazily. Configuration problems
    raise :class:`WorkingHoursError`.
    """
    try:
        tz = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise WorkingHoursError(f"unknown time zone {timezone!r}") from None
    hours = parse_working_hours(DEFAULT_WORKING_HOURS if working_hours is None else working_hours)
    this_year = date.today().year
    window = frozenset(range(this_year - 1, this_year + 4) if years is None else years)
    closed = set(closing_days)
    code: str | None = None
    sub: str | None = None
    if country and country.strip():
        code, sub = _resolve_region(country, subdivision)
        for year in window:
            closed |= _public_holidays(code, sub, year)
    elif subdivision and subdivision.strip():
        raise WorkingHoursError(f"subdivision {subdivision!r} given without a country")
    return Calendar(
        timezone=tz,
        hours=hours,
        closed_dates=frozenset(closed),
        country=code,
        subdivision=sub,
        holiday_years=window,
    )


# --------------------------------------------------------------------------- arithmetic


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")


def _to_timedelta(hours: float | int | Decimal | timedelta) -> timedelta:
    if isinstance(hours, timedelta):
        amount = hours
    elif isinstance(hours, int):
        amount = timedelta(hours=hours)
    elif isinstance(hours, float | Decimal):
        # Decimal(float) is exact; rounding to whole seconds removes binary noise
        # (0.1 h -> 360 s, not 360.00000000000006 s).
        exact = Decimal(hours)
        if not exact.is_finite():
            raise ValueError(f"hours must be finite, got {hours!r}")
        amount = timedelta(seconds=int((exact * 3600).to_integral_value(ROUND_HALF_EVEN)))
    else:
        raise TypeError(f"hours must be a number or timedelta, got {type(hours).__name__}")
    if amount < timedelta(0):
        raise ValueError(f"hours must not be negative, got {hours!r}")
    return amount


def add_working_hours(
    start: datetime, hours: float | int | Decimal | timedelta, calendar: Calendar
) -> datetime:
    """The aware UTC instant at which ``hours`` of open time have elapsed since ``start``.

    * Counting begins at ``start`` if open, otherwise at the next opening.
    * Adding zero returns ``start`` unchanged (converted to UTC), even in closed time:
      nothing has to elapse, so there is nothing to wait for.
    * A result exactly at an interval end stays there (Fri 17:00 is not moved to Mon 08:00),
      because that is the moment the time ran out.
    * Numbers are hours, rounded to the second; ``timedelta`` is used exactly.

    Raises ``ValueError`` for a naive ``start``, negative hours, or a calendar with no open
    time within about ten years.
    """
    _require_aware(start, "start")
    remaining = _to_timedelta(hours)
    cursor = start.astimezone(UTC)
    if not remaining:
        return cursor
    if not calendar.has_hours:
        raise ValueError("calendar has no working hours on any weekday")
    # Start one local day early: an instant can belong to the previous day's last interval.
    day = cursor.astimezone(calendar.timezone).date() - _ONE_DAY
    last_open_day = day
    while True:
        for opens, closes in calendar.open_intervals(day):
            if closes <= cursor:
                continue
            begin = max(opens, cursor)
            available = closes - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
            cursor = closes
            last_open_day = day
        if (day - last_open_day).days > _MAX_IDLE_DAYS:
            raise ValueError(f"no working time within {_MAX_IDLE_DAYS} days before {day}")
        day += _ONE_DAY


def add_working_days(start: datetime, days: int, calendar: Calendar) -> datetime:
    """The end of the ``days``-th open day after ``start``'s local day (C2: "5 working
    days after the quote was delivered" ends when that day's last interval closes).

    Open days have opening hours and are not closed dates. Returns an aware UTC instant.
    """
    _require_aware(start, "start")
    if days < 1:
        raise ValueError("days must be at least 1")
    if not calendar.has_hours:
        raise ValueError("calendar has no working hours on any weekday")
    day = start.astimezone(calendar.timezone).date()
    for _ in range(_MAX_IDLE_DAYS):
        day += _ONE_DAY
        intervals = calendar.open_intervals(day)
        if intervals:
            days -= 1
            if days == 0:
                return intervals[-1][1]
    raise ValueError(f"no working day within {_MAX_IDLE_DAYS} days after {start}")


def working_time_between(start: datetime, end: datetime, calendar: Calendar) -> timedelta:
    """Open time in ``[start, end)``; ``timedelta(0)`` if ``end <= start``."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    if end <= start:
        return timedelta(0)
    # UTC first: subtracting two datetimes sharing a ZoneInfo gives wall-clock, not real, time.
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    tz = calendar.timezone
    day = start.astimezone(tz).date() - _ONE_DAY
    last = end.astimezone(tz).date() + _ONE_DAY
    total = timedelta(0)
    while day <= last:
        for opens, closes in calendar.open_intervals(day):
            overlap = min(closes, end) - max(opens, start)
            if overlap > timedelta(0):
                total += overlap
        day += _ONE_DAY
    return total
