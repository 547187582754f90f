"""Polish identity numbers a broker gives for a client (pure: no database, no HTTP).

PESEL goes through python-stdnum (never hand-roll a checksum a library has). The identity
card number has no module there, so its check digit is computed here, by the published
algorithm: three series letters (A=10 … Z=35) and six digits, the first of which is the
check digit; weights 7, 3, 1, 9, 7, 3, 1, 7, 3 over the nine values give a sum divisible
by 10 (equivalently: the check digit is the weighted sum of the other eight, mod 10).
"""

from __future__ import annotations

import re

from stdnum.exceptions import ValidationError
from stdnum.pl import pesel as stdnum_pesel


class IdentityError(ValueError):
    """The number is not valid; the message says why (for the broker who typed it)."""


def normalise_pesel(raw: str) -> str:
    """The 11 digits of a valid PESEL (spaces and dashes dropped)."""
    try:
        return str(stdnum_pesel.validate(raw))
    except ValidationError as exc:
        raise IdentityError(f"not a valid PESEL: {exc}") from exc


CARD = re.compile(r"[A-Z]{3}[0-9]{6}")
WEIGHTS = (7, 3, 1, 9, 7, 3, 1, 7, 3)


def _value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def card_check_digit(number: str) -> int:
    """The check digit (the 4th character) a 9-character card number must carry."""
    others = [(c, w) for i, (c, w) in enumerate(zip(number, WEIGHTS, strict=True)) if i != 3]
    return sum(_value(c) * w for c, w in others) % 10


def normalise_id_card(raw: str) -> str:
    """A valid Polish identity-card number, upper case without spaces (e.g. ABA300000)."""
    number = re.sub(r"[\s-]", "", raw).upper()
    if not CARD.fullmatch(number):
        raise IdentityError("not a Polish identity-card number: three letters and six digits")
    if int(number[3]) != card_check_digit(number):
        raise IdentityError("not a valid Polish identity-card number: wrong check digit")
    return number
