"""PESEL (python-stdnum) and the Polish identity card's check digit (our own)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadhub.referrals.identity import (
    WEIGHTS,
    IdentityError,
    card_check_digit,
    normalise_id_card,
    normalise_pesel,
)


def test_valid_pesel_is_kept_as_its_digits() -> None:
    assert normalise_pesel("44051401359") == "44051401359"  # stdnum's documented example
    assert normalise_pesel("440514 01359") == "44051401359"
    assert normalise_pesel("02070803628") == "02070803628"  # born 2002 (month + 20)


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("44051401358", "checksum"),  # last digit off by one
        ("4405140135", "length"),
        ("44053401359", ""),  # 34th of May: no such date
        ("4405140135X", ""),
    ],
)
def test_invalid_pesel_is_refused_with_a_reason(raw: str, why: str) -> None:
    with pytest.raises(IdentityError, match="not a valid PESEL") as exc:
        normalise_pesel(raw)
    assert why in str(exc.value).lower()


@pytest.mark.parametrize(
    "number",
    [
        "ABA300000",  # the algorithm's published worked example: 70+33+10+27 = 140
        "ABS123456",  # the specimen card's number
        "AAA000000",
    ],
)
def test_known_valid_identity_cards(number: str) -> None:
    assert normalise_id_card(number) == number
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in number]
    assert sum(v * w for v, w in zip(values, WEIGHTS, strict=True)) % 10 == 0


def test_identity_card_is_normalised() -> None:
    assert normalise_id_card(" aba 300000 ") == "ABA300000"
    assert normalise_id_card("ABS-123456") == "ABS123456"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ABA400000", "wrong check digit"),
        ("ABS923456", "wrong check digit"),
        ("AB1300000", "three letters and six digits"),
        ("ABA30000", "three letters and six digits"),
        ("ABAA30000", "three letters and six digits"),
        ("ĄBA300000", "three letters and six digits"),
    ],
)
def test_invalid_identity_cards(raw: str, message: str) -> None:
    with pytest.raises(IdentityError, match=message):
        normalise_id_card(raw)


@given(
    series=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
    digits=st.text(alphabet="0123456789", min_size=5, max_size=5),
    wrong=st.integers(min_value=1, max_value=9),
)
def test_exactly_one_check_digit_fits_each_number(series: str, digits: str, wrong: int) -> None:
    check = card_check_digit(f"{series}0{digits}")
    assert normalise_id_card(f"{series}{check}{digits}") == f"{series}{check}{digits}"
    with pytest.raises(IdentityError):
        normalise_id_card(f"{series}{(check + wrong) % 10}{digits}")
