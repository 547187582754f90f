"""Removing personal data from free text (pure): what a partner sees before accepting (B4)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
URL = re.compile(r"https?://\S+")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
# Runs of 9+ digits (national ids, card numbers) that phonenumbers does not catch;
# shorter runs are dates, sizes and prices, which the partner needs to see.
DIGITS = re.compile(r"\b\d[\d ./-]{7,}\d\b")
MARK = "[…]"


def redact(text: str, *, known: Iterable[str], region: str | None) -> str:
    """`text` without e-mail addresses, phone numbers, long numbers, links, and the
    contact's own name, company and street (`known`), each replaced by a mark."""
    out = EMAIL.sub(MARK, text)
    out = URL.sub(MARK, out)
    out = IBAN.sub(MARK, out)
    for match in reversed(list(phonenumbers.PhoneNumberMatcher(out, (region or "ZZ").upper()))):
        out = out[: match.start] + MARK + out[match.end :]
    out = DIGITS.sub(lambda m: MARK if sum(c.isdigit() for c in m[0]) >= 9 else m[0], out)
    # Longest first, so "Via Roma 12" goes before a bare "Roma" could split it.
    for value in sorted({k.strip() for k in known if len(k.strip()) >= 2}, key=len, reverse=True):
        out = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", MARK, out, flags=re.IGNORECASE)
    return out
