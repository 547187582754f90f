"""<requestdate>: ISO 8601 as the spec asks, and the near misses senders write."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

# Date, then optionally a time with a one- or two-digit hour ("2008-06-25T8:47:50" is
# seen in the wild), fractions, and a zone: Z, +01:00, +0100, +01, or the cut "-08:0".
ISO_ISH = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{1,2}(?::?\d{1,2})?)?",
    re.IGNORECASE,
)


def request_instant(value: str, default_zone: tzinfo) -> datetime | None:
    """The instant, read in `default_zone` when it names no zone; None when unreadable."""
    match = ISO_ISH.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        naive = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
        tz = _zone(zone) if zone else None
    except ValueError:
        return None
    if tz is None:
        # A wall-clock time of the brand's zone; fold=0 picks the first of a doubled hour.
        return naive.replace(tzinfo=default_zone)
    return naive.replace(tzinfo=tz)


def _zone(zone: str) -> tzinfo:
    if zone.upper() == "Z":
        return UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    if ":" in zone[1:]:
        hours, minutes = zone[1:].split(":")
        minutes = minutes.ljust(2, "0")  # "-08:0" means -08:00
    else:
        hours, minutes = (digits[:2], digits[2:]) if len(digits) > 2 else (digits, "0")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
