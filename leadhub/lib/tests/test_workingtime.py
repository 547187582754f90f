"""Tests for leadhub.lib.workingtime (pure Python: no Django, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadhub.lib.workingtime import (
    DEFAULT_WORKING_HOURS,
    WEEKDAYS,
    Calendar,
    WorkingHoursError,
    add_working_days,
    add_working_hours,
    make_calendar,
    parse_working_hours,
    working_time_between,
)

ROME = ZoneInfo("Europe/Rome")
WARSAW = ZoneInfo("Europe/Warsaw")
NEW_YORK = ZoneInfo("America/New_York")
YEARS = range(2019, 2032)

# Bolzano / South Tyrol: Italian province code "BZ" in the holidays package.
BOLZANO = make_calendar(
    timezone="Europe/Rome", working_hours=None, country="IT", subdivision="BZ", years=YEARS
)
ITALY = make_calendar(timezone="Europe/Rome", working_hours=None, country="IT", years=YEARS)
WARSAW_SHOP = make_calendar(
    timezone="Europe/Warsaw",
    working_hours={**{d: "09:00-17:00" for d in WEEKDAYS[:5]}, "sat": "10:00-14:00"},
    country="PL",
    years=YEARS,
)
NEW_YORK_OFFICE = make_calendar(
    timezone="America/New_York",
    working_hours={d: "08:30-12:00,12:30-18:00" for d in WEEKDAYS[:5]},
    country="US",
    subdivision="NY",
    years=YEARS,
)
ALWAYS_OPEN_ROME = make_calendar(
    timezone="Europe/Rome", working_hours=dict.fromkeys(WEEKDAYS, "00:00-24:00"), country=None
)
# Boundaries inside New York's skipped (spring) and repeated (autumn) 01:00-03:00 hours.
NIGHT_SHIFT_NY = make_calendar(
    timezone="America/New_York",
    working_hours=dict.fromkeys(WEEKDAYS, "00:00-01:30,01:45-02:15,02:30-03:00,22:00-24:00"),
    country=None,
)


def rome(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=ROME)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


# --------------------------------------------------------------------------- hand-checked


def test_bolzano_christmas_offer_plus_48_hours() -> None:
    # Fri 23 Dec 2022 16:00 CET, 8 h/day (08-12, 13-17). Holidays returned for IT/BZ in the
    # window: 25 Dec (Sun), 26 Dec St Stephen (Mon), 1 Jan (Sun), 6 Jan Epiphany (Fri);
    # BZ's own extra holiday is Whit Monday (May), so nothing Bolzano-specific here.
    #   Fri 23 16-17            1 h  ->  1
    #   Sat 24, Sun 25, Mon 26  closed
    #   Tue 27 .. Fri 30     4 x 8 h -> 33
    #   Sat 31, Sun 1 Jan       closed
    #   Mon 2 Jan               8 h  -> 41
    #   Tue 3 Jan 08-12 (4 h) -> 45, 13-16 (3 h) -> 48
    # => Tue 3 Jan 2023 16:00 CET = 15:00 UTC.
    start = rome(2022, 12, 23, 16)
    assert add_working_hours(start, 48, BOLZANO) == utc(2023, 1, 3, 15)
    assert working_time_between(start, utc(2023, 1, 3, 15), BOLZANO) == timedelta(hours=48)


def test_bolzano_plus_72_hours_skips_epiphany() -> None:
    # From 48 h at Tue 3 Jan 16:00: Tue 16-17 -> 49, Wed 4 -> 57, Thu 5 -> 65,
    # Fri 6 Epiphany closed, Sat/Sun closed, Mon 9 08-12 -> 69, 13-16 -> 72.
    assert add_working_hours(rome(2022, 12, 23, 16), 72, BOLZANO) == utc(2023, 1, 9, 15)


def test_bolzano_whit_monday_is_closed_but_not_in_rome() -> None:
    # Fri 26 May 2023 16:00 CEST + 8 h. Whit Monday 29 May is a holiday only in BZ.
    # Bolzano: Fri 1 h, Mon closed, Tue 30 08-12 (5), 13-16 (8) -> Tue 16:00 CEST.
    # Rome province (no subdivision here): Mon 29 is a working day -> Mon 16:00 CEST.
    start = rome(2023, 5, 26, 16)
    assert BOLZANO.is_closed_date(date(2023, 5, 29))
    assert add_working_hours(start, 8, BOLZANO) == utc(2023, 5, 30, 14)
    assert add_working_hours(start, 8, ITALY) == utc(2023, 5, 29, 14)


def test_spring_dst_lost_hour_not_counted() -> None:
    # Rome, Sun 26 Mar 2023: 02:00 CET jumps to 03:00 CEST (01:00 UTC). Always open.
    # Sat 23:00 CET (22:00 UTC) + 4 h real time = 02:00 UTC = 04:00 CEST; the wall clock
    # shows 5 h, but the skipped 02:00-03:00 hour never happened and is not counted.
    start = rome(2023, 3, 25, 23)
    assert add_working_hours(start, 4, ALWAYS_OPEN_ROME) == utc(2023, 3, 26, 2)
    assert add_working_hours(start, 4, ALWAYS_OPEN_ROME) == rome(2023, 3, 26, 4)
    day = working_time_between(rome(2023, 3, 26, 0), rome(2023, 3, 27, 0), ALWAYS_OPEN_ROME)
    assert day == timedelta(hours=23)


def test_autumn_dst_extra_hour_counted() -> None:
    # Rome, Sun 29 Oct 2023: 03:00 CEST falls back to 02:00 CET (01:00 UTC). Always open.
    # Sat 23:00 CEST (21:00 UTC) + 4 h = 01:00 UTC = the *second* 02:00 (CET).
    start = rome(2023, 10, 28, 23)
    assert add_working_hours(start, 4, ALWAYS_OPEN_ROME) == utc(2023, 10, 29, 1)
    # (Compared field by field: Python's == across zones is always False for fold=1 times.)
    local = add_working_hours(start, 4, ALWAYS_OPEN_ROME).astimezone(ROME)
    assert (local.replace(tzinfo=None), local.fold) == (datetime(2023, 10, 29, 2), 1)
    day = working_time_between(rome(2023, 10, 29, 0), rome(2023, 10, 30, 0), ALWAYS_OPEN_ROME)
    assert day == timedelta(hours=25)


def test_dst_weekend_with_office_hours() -> None:
    # Fri 24 Mar 2023 16:00 CET + 2 h: Fri 16-17, Mon 27 08-09 CEST (07:00 UTC).
    assert add_working_hours(rome(2023, 3, 24, 16), 2, ITALY) == utc(2023, 3, 27, 7)


def test_interval_bounds_inside_dst_transition() -> None:
    # New York, Sun 12 Mar 2023: 02:00 EST jumps to 03:00 EDT (07:00 UTC). "01:45-02:15"
    # is cut short by the jump (15 real minutes) and "02:30-03:00" never happens at all.
    spring = NIGHT_SHIFT_NY.open_intervals(date(2023, 3, 12))
    assert [(b - a) for a, b in spring] == [
        timedelta(hours=1, minutes=30),  # 00:00-01:30 EST
        timedelta(minutes=15),  # 01:45 EST until the jump
        timedelta(hours=2),  # 22:00-24:00 EDT
    ]
    # Sun 5 Nov 2023: 02:00 EDT falls back to 01:00 EST. Repeated wall times map to their
    # first occurrence, so "01:45-02:15" runs 01:45 EDT .. 02:15 EST = 1 h 30 min.
    autumn = NIGHT_SHIFT_NY.open_intervals(date(2023, 11, 5))
    assert [(b - a) for a, b in autumn] == [
        timedelta(hours=1, minutes=30),
        timedelta(hours=1, minutes=30),
        timedelta(minutes=30),
        timedelta(hours=2),
    ]


def test_year_end() -> None:
    # Tue 31 Dec 2024 16:00 CET + 2 h: 31 Dec 16-17 (1 h), Wed 1 Jan closed,
    # Thu 2 Jan 08-09 -> 09:00 CET = 08:00 UTC.
    assert add_working_hours(rome(2024, 12, 31, 16), 2, ITALY) == utc(2025, 1, 2, 8)


def test_split_day_over_lunch() -> None:
    # Mon 16 Jan 2023 11:30 + 1 h: 11:30-12:00, lunch, 13:00-13:30.
    assert add_working_hours(rome(2023, 1, 16, 11, 30), 1, ITALY) == rome(2023, 1, 16, 13, 30)


def test_start_inside_lunch_break() -> None:
    assert add_working_hours(rome(2023, 1, 16, 12, 15), 1, ITALY) == rome(2023, 1, 16, 14)


def test_start_on_holiday() -> None:
    # Fri 6 Jan 2023 (Epiphany) 10:00 + 1 h -> Mon 9 Jan 09:00 CET.
    assert add_working_hours(rome(2023, 1, 6, 10), 1, ITALY) == utc(2023, 1, 9, 8)


def test_start_at_interval_end() -> None:
    # Fri 13 Jan 2023 17:00 is closed: counting starts Mon 16 Jan 08:00.
    assert add_working_hours(rome(2023, 1, 13, 17), 1, ITALY) == utc(2023, 1, 16, 8)


def test_result_at_interval_end_stays_there() -> None:
    assert add_working_hours(rome(2023, 1, 13, 16), 1, ITALY) == rome(2023, 1, 13, 17)
    assert add_working_hours(rome(2023, 1, 16, 11), 1, ITALY) == rome(2023, 1, 16, 12)


def test_zero_hours_returns_start_in_utc() -> None:
    closed = rome(2023, 1, 14, 10, 7, 3, 5)  # a Saturday
    result = add_working_hours(closed, 0, ITALY)
    assert result == closed
    assert result.tzinfo is UTC


def test_amount_types_are_exact() -> None:
    start = rome(2022, 12, 23, 16)
    expected = utc(2023, 1, 3, 15)
    for amount in (48, 48.0, Decimal("48"), timedelta(hours=48), timedelta(seconds=172800)):
        assert add_working_hours(start, amount, BOLZANO) == expected
    # 0.1 h is 6 min exactly, not 6 min plus binary noise.
    assert add_working_hours(rome(2023, 1, 16, 8), 0.1, ITALY) == utc(2023, 1, 16, 7, 6)
    assert add_working_hours(rome(2023, 1, 16, 8), Decimal("0.25"), ITALY) == utc(
        2023, 1, 16, 7, 15
    )


def test_start_in_another_time_zone() -> None:
    # 10:00 in New York is 16:00 in Rome.
    start = datetime(2022, 12, 23, 10, tzinfo=NEW_YORK)
    assert add_working_hours(start, 48, BOLZANO) == utc(2023, 1, 3, 15)


def test_holidays_beyond_precomputed_years_are_found() -> None:
    cal = make_calendar(timezone="Europe/Rome", working_hours=None, country="IT", years=[2022])
    assert date(2031, 1, 6) not in cal.closed_dates
    assert cal.is_closed_date(date(2031, 1, 6))  # Epiphany, a Monday
    # Fri 3 Jan 2031 16:00 + 2 h: Fri 16-17, Mon 6 closed, Tue 7 08-09 CET.
    assert add_working_hours(rome(2031, 1, 3, 16), 2, cal) == utc(2031, 1, 7, 8)


def test_extra_closing_days() -> None:
    cal = make_calendar(
        timezone="Europe/Rome",
        working_hours=None,
        country="IT",
        closing_days=[date(2023, 1, 16)],
        years=YEARS,
    )
    assert add_working_hours(rome(2023, 1, 13, 16), 2, cal) == utc(2023, 1, 17, 8)


def test_is_open() -> None:
    assert ITALY.is_open(rome(2023, 1, 16, 8))
    assert ITALY.is_open(rome(2023, 1, 16, 11, 59))
    assert not ITALY.is_open(rome(2023, 1, 16, 12))
    assert not ITALY.is_open(rome(2023, 1, 14, 10))  # Saturday
    assert not ITALY.is_open(rome(2023, 1, 6, 10))  # Epiphany
    with pytest.raises(ValueError, match="timezone-aware"):
        ITALY.is_open(datetime(2023, 1, 16, 9))


def test_working_time_between() -> None:
    assert working_time_between(
        rome(2023, 1, 16, 11, 30), rome(2023, 1, 16, 13, 30), ITALY
    ) == timedelta(hours=1)
    assert working_time_between(rome(2023, 1, 16, 9), rome(2023, 1, 16, 9), ITALY) == timedelta(0)
    assert working_time_between(rome(2023, 1, 16, 10), rome(2023, 1, 16, 9), ITALY) == timedelta(0)


def test_naive_datetime_rejected() -> None:
    with pytest.raises(ValueError, match="start must be a timezone-aware datetime"):
        add_working_hours(datetime(2023, 1, 16, 9), 1, ITALY)
    with pytest.raises(ValueError, match="end must be a timezone-aware datetime"):
        working_time_between(rome(2023, 1, 16, 9), datetime(2023, 1, 16, 10), ITALY)


def test_negative_hours_rejected() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        add_working_hours(rome(2023, 1, 16, 9), -1, ITALY)
    with pytest.raises(ValueError, match="finite"):
        add_working_hours(rome(2023, 1, 16, 9), float("nan"), ITALY)


def test_calendar_without_hours_rejected() -> None:
    cal = make_calendar(timezone="Europe/Rome", working_hours={}, country=None)
    with pytest.raises(ValueError, match="no working hours"):
        add_working_hours(rome(2023, 1, 16, 9), 1, cal)
    assert add_working_hours(rome(2023, 1, 16, 9), 0, cal) == rome(2023, 1, 16, 9)


def test_calendar_never_open_for_ten_years_rejected() -> None:
    mondays = frozenset(date(2024, 1, 1) + timedelta(weeks=n) for n in range(53 * 12))
    cal = Calendar(ROME, parse_working_hours({"mon": "08:00-09:00"}), mondays)
    with pytest.raises(ValueError, match="no working time within"):
        add_working_hours(rome(2024, 1, 1, 9), 1, cal)


# --------------------------------------------------------------------------- configuration


def test_parse_working_hours_valid() -> None:
    hours = parse_working_hours(
        {"Mon": " 08:00-12:00 , 13:00-17:00 ", "TUE": "closed", "wed": "", "sun": "22:00-24:00"}
    )
    assert hours == {
        0: ((time(8), time(12)), (time(13), time(17))),
        1: (),
        2: (),
        3: (),
        4: (),
        5: (),
        6: ((time(22), time(0)),),  # time(0) as an end means 24:00
    }
    assert parse_working_hours(DEFAULT_WORKING_HOURS)[4] == (
        (time(8), time(12)),
        (time(13), time(17)),
    )
    assert parse_working_hours(DEFAULT_WORKING_HOURS)[5] == ()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"tue": "08:00-25:00"}, "tue: '08:00-25:00' is not a time range HH:MM-HH:MM"),
        ({"tue": "8-12"}, "tue: '8-12' is not a time range HH:MM-HH:MM"),
        ({"mon": "08:00-12:00,"}, "mon: '' is not a time range HH:MM-HH:MM"),
        ({"fri": "24:00-24:00"}, "fri: '24:00-24:00' is not a time range HH:MM-HH:MM"),
        ({"wed": "17:00-08:00"}, "wed: '17:00-08:00' does not end after it starts"),
        ({"wed": "08:00-08:00"}, "wed: '08:00-08:00' does not end after it starts"),
        (
            {"mon": "08:00-12:00,11:00-13:00"},
            "mon: '11:00-13:00' overlaps or comes before '08:00-12:00'; "
            "ranges must be ascending and must not overlap",
        ),
        (
            {"mon": "13:00-17:00,08:00-12:00"},
            "mon: '08:00-12:00' overlaps or comes before '13:00-17:00'; "
            "ranges must be ascending and must not overlap",
        ),
        (
            {"monday": "08:00-12:00"},
            "unknown weekday 'monday'; expected one of mon, tue, wed, thu, fri, sat, sun",
        ),
        ({"mon": "08:00-12:00", "MON": "closed"}, "mon: given more than once"),
    ],
)
def test_parse_working_hours_errors(spec: dict[str, str], message: str) -> None:
    with pytest.raises(WorkingHoursError) as excinfo:
        parse_working_hours(spec)
    assert str(excinfo.value) == message


def test_parse_working_hours_lists_every_problem() -> None:
    with pytest.raises(WorkingHoursError) as excinfo:
        parse_working_hours({"xyz": "08:00-12:00", "tue": "08:00-25:00", "wed": "12:00-09:00"})
    assert str(excinfo.value) == (
        "unknown weekday 'xyz'; expected one of mon, tue, wed, thu, fri, sat, sun; "
        "tue: '08:00-25:00' is not a time range HH:MM-HH:MM; "
        "wed: '12:00-09:00' does not end after it starts"
    )
    assert len(excinfo.value.problems) == 3
    assert isinstance(excinfo.value, ValueError)


def test_make_calendar_errors() -> None:
    with pytest.raises(WorkingHoursError, match=r"^unknown country 'XX'"):
        make_calendar(timezone="Europe/Rome", working_hours=None, country="XX")
    with pytest.raises(
        WorkingHoursError, match=r"^unknown subdivision 'ZZ' for country IT; expected one of: AG, "
    ):
        make_calendar(timezone="Europe/Rome", working_hours=None, country="IT", subdivision="ZZ")
    with pytest.raises(WorkingHoursError, match=r"^unknown time zone 'Mars/Olympus'$"):
        make_calendar(timezone="Mars/Olympus", working_hours=None, country="IT")
    with pytest.raises(WorkingHoursError, match="without a country"):
        make_calendar(timezone="Europe/Rome", working_hours=None, country=None, subdivision="BZ")
    with pytest.raises(WorkingHoursError, match="is not a time range"):
        make_calendar(timezone="Europe/Rome", working_hours={"mon": "nope"}, country=None)


def test_make_calendar_normalises_codes() -> None:
    cal = make_calendar(
        timezone="Europe/Rome", working_hours=None, country="it", subdivision="bz", years=[2023]
    )
    assert (cal.country, cal.subdivision) == ("IT", "BZ")
    assert date(2023, 5, 29) in cal.closed_dates


def test_calendar_validates_hand_built_hours() -> None:
    with pytest.raises(WorkingHoursError, match="reversed"):
        Calendar(ROME, {0: ((time(12), time(8)),)})
    with pytest.raises(WorkingHoursError, match="unknown weekday index 7"):
        Calendar(ROME, {7: ((time(8), time(12)),)})


# --------------------------------------------------------------------------- properties

CALENDARS = [BOLZANO, WARSAW_SHOP, NEW_YORK_OFFICE, ALWAYS_OPEN_ROME, NIGHT_SHIFT_NY]
# Calendars whose interval bounds are far from DST transitions, so the naive wall-clock
# oracle below is exact for them.
WALL_CLOCK_CALENDARS = [BOLZANO, WARSAW_SHOP, NEW_YORK_OFFICE]

_any_instant = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2030, 12, 31, 23, 59),
    timezones=st.sampled_from([ROME, WARSAW, NEW_YORK]),
    allow_imaginary=False,
)
# Whole minutes hit interval bounds (and DST-shifted bounds) far more often.
starts = st.one_of(_any_instant, _any_instant.map(lambda d: d.replace(second=0, microsecond=0)))
amounts = st.integers(min_value=0, max_value=10_000).map(lambda m: timedelta(minutes=m))
fast = settings(max_examples=200, deadline=None)


def _is_interval_end(cal: Calendar, at: datetime) -> bool:
    day = at.astimezone(cal.timezone).date()
    return any(
        closes == at for d in (-1, 0, 1) for _, closes in cal.open_intervals(day + timedelta(d))
    )


def _wall_clock_open(cal: Calendar, at: datetime) -> bool:
    local = at.astimezone(cal.timezone)
    if cal.is_closed_date(local.date()):
        return False
    now = local.time().replace(tzinfo=None)
    return any(s <= now and (e == time(0) or now < e) for s, e in cal.hours[local.weekday()])


@fast
@given(st.sampled_from(CALENDARS), starts, amounts, amounts)
def test_monotonic_in_hours(cal: Calendar, start: datetime, a: timedelta, b: timedelta) -> None:
    low, high = sorted((a, b))
    assert start <= add_working_hours(start, low, cal) <= add_working_hours(start, high, cal)


@fast
@given(st.sampled_from(CALENDARS), starts, amounts, amounts)
def test_additive(cal: Calendar, start: datetime, a: timedelta, b: timedelta) -> None:
    assert add_working_hours(add_working_hours(start, a, cal), b, cal) == add_working_hours(
        start, a + b, cal
    )


@fast
@given(st.sampled_from(CALENDARS), starts, amounts)
def test_result_is_open_or_an_interval_end(
    cal: Calendar, start: datetime, amount: timedelta
) -> None:
    result = add_working_hours(start, amount, cal)
    assert result.tzinfo is UTC
    if amount:
        assert cal.is_open(result) or _is_interval_end(cal, result)


@fast
@given(st.sampled_from(CALENDARS), starts, amounts)
def test_between_inverts_add(cal: Calendar, start: datetime, amount: timedelta) -> None:
    # Holds for closed starts too: closed time before the first opening counts as zero.
    assert working_time_between(start, add_working_hours(start, amount, cal), cal) == amount


@fast
@given(starts, amounts)
def test_always_open_is_real_elapsed_time(start: datetime, amount: timedelta) -> None:
    # Add in UTC: `aware + timedelta` in a ZoneInfo zone is wall-clock arithmetic.
    assert add_working_hours(start, amount, ALWAYS_OPEN_ROME) == start.astimezone(UTC) + amount


@fast
@given(st.sampled_from(WALL_CLOCK_CALENDARS), _any_instant)
def test_is_open_matches_wall_clock(cal: Calendar, at: datetime) -> None:
    assert cal.is_open(at) == _wall_clock_open(cal, at)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(WALL_CLOCK_CALENDARS),
    _any_instant.map(lambda d: d.replace(second=0, microsecond=0)),
    st.integers(min_value=0, max_value=480),
)
def test_matches_minute_by_minute_oracle(cal: Calendar, start: datetime, minutes: int) -> None:
    # Independent model: walk real time one minute at a time, counting open minutes.
    at, left = start.astimezone(UTC), minutes  # UTC so that += is real elapsed time
    while left:
        if _wall_clock_open(cal, at):
            left -= 1
        at += timedelta(minutes=1)
    assert add_working_hours(start, timedelta(minutes=minutes), cal) == at


def test_add_working_days_ends_with_the_nth_open_day() -> None:
    rome = ZoneInfo("Europe/Rome")
    # Quote delivered Thu 22 Dec 2022 10:00 in Bolzano: Fri 23, (24-26 closed), Tue 27,
    # Wed 28, Thu 29, Fri 30 -> the fifth working day ends Fri 30 Dec at 17:00.
    start = datetime(2022, 12, 22, 10, 0, tzinfo=rome)
    assert add_working_days(start, 5, BOLZANO) == datetime(2022, 12, 30, 17, 0, tzinfo=rome)
    assert add_working_days(start, 1, BOLZANO) == datetime(2022, 12, 23, 17, 0, tzinfo=rome)
    with pytest.raises(ValueError):
        add_working_days(start, 0, BOLZANO)
