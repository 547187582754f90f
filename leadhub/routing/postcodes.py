"""Postal-code patterns of zones and rules (pure): exact "39100", prefix "38*", range "39000-39999"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_ALLOWED = re.compile(r"^[A-Z0-9][A-Z0-9 -]*$")


class PostcodePatternError(ValueError):
    pass


@dataclass(frozen=True)
class PostcodePattern:
    low: str
    high: str  # equal to low for an exact code
    prefix: bool = False

    def matches(self, code: str) -> bool:
        code = normalise_postcode(code)
        if self.prefix:
            return code.startswith(self.low)
        if self.low == self.high:
            return code == self.low
        # Ranges compare codes of the range's own length, so "3900" is not inside 39000-39999.
        return len(code) == len(self.low) and self.low <= code <= self.high


def normalise_postcode(code: str) -> str:
    return " ".join(code.upper().split())


@lru_cache(maxsize=65536)
def parse_postcode_pattern(text: str) -> PostcodePattern:
    raw = normalise_postcode(str(text))
    prefix = raw.endswith("*")
    body = raw[:-1] if prefix else raw
    if not _ALLOWED.match(body) or body.endswith("-"):
        raise PostcodePatternError(
            f"{text!r} is not a postal code, a prefix like '38*' or a range like '39000-39999'"
        )
    if prefix:
        return PostcodePattern(body, body, prefix=True)
    # Codes may contain a dash themselves (Polish 00-950), so a dash separates a range only
    # where it splits the text into two codes of equal length: "00-001-00-999".
    for i, char in enumerate(body):
        low, high = body[:i], body[i + 1 :]
        if char == "-" and len(low) == len(high):
            if high < low:
                raise PostcodePatternError(f"{text!r}: the lower code of a range comes first")
            return PostcodePattern(low, high)
    return PostcodePattern(body, body)
