"""The formats' pure rules (decision 0043): formula guard, separator, decimal mark."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leadhub.exports.guard import csv_separator, decimal_text, guard, needs_guard


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+39 0471 123456", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'],
)
def test_formula_starts_get_an_apostrophe(text: str) -> None:
    assert needs_guard(text)
    assert guard(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["", "Rossi", "a=b", " =1", "'quoted", "1+1", "Müller-Lüdenscheidt"]
)
def test_other_text_is_unchanged(text: str) -> None:
    assert not needs_guard(text)
    assert guard(text) == text


@pytest.mark.parametrize(
    ("language", "separator"),
    [
        ("en", ","),
        ("de", ";"),
        ("fr", ";"),
        ("it", ";"),
        ("pl", ";"),
        ("de-at", ";"),
        ("en-gb", ","),
    ],
)
def test_separator_follows_the_decimal_mark(language: str, separator: str) -> None:
    assert csv_separator(language) == separator


def test_amounts_with_the_languages_decimal_mark() -> None:
    assert decimal_text(Decimal("1234.5"), "en") == "1234.50"
    assert decimal_text(Decimal("1234.5"), "it") == "1234,50"
    assert decimal_text(Decimal("0"), "pl") == "0,00"
