"""Match keys (pure): e-mail per provider, phones, national ids, name folding."""

from __future__ import annotations

import pytest

from leadhub.duplicates.keys import (
    email_key,
    fold,
    name_key,
    national_id_key,
    phone_key,
    postal_key,
)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Jan.Kowalski@Gmail.com", "jankowalski@gmail.com"),
        ("j.a.n.kowalski+windows@gmail.com", "jankowalski@gmail.com"),
        ("jan.kowalski@googlemail.com", "jankowalski@gmail.com"),
        ("anna+news@outlook.com", "anna@outlook.com"),
        ("anna.maria+x@hotmail.com", "anna.maria@hotmail.com"),  # dots count at Outlook
        ("max+tag@icloud.com", "max@icloud.com"),
        ("max+tag@proton.me", "max@proton.me"),
        ("first.last+tag@company.example", "first.last+tag@company.example"),  # not documented
        ("First.Last@Company.Example", "first.last@company.example"),  # case only
        ("+only@gmail.com", "+only@gmail.com"),  # nothing left before the tag: kept
        ("no-at-sign", "no-at-sign"),
        ("  ", ""),
    ],
)
def test_email_key(raw: str, key: str) -> None:
    assert email_key(raw) == key


@pytest.mark.parametrize(
    ("raw", "country", "key"),
    [
        ("0471 123456", "IT", "+390471123456"),
        ("+39 0471 123 456", "", "+390471123456"),
        ("0039 0471 123456", "IT", "+390471123456"),
        ("601-234-567", "PL", "+48601234567"),
        ("+48 601 234 567", "DE", "+48601234567"),
        ("12", "IT", ""),
        ("not a phone", "PL", ""),
        ("", "PL", ""),
    ],
)
def test_phone_key(raw: str, country: str, key: str) -> None:
    assert phone_key(raw, country) == key


def test_national_id_key_drops_separators_and_case() -> None:
    assert national_id_key("440514 01359") == "44051401359"
    assert national_id_key("rssmra85t10a562s") == "RSSMRA85T10A562S"
    assert national_id_key("12.345.678-Z") == "12345678Z"


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Józef Wójcik", "jozef wojcik"),
        ("ŁUKASZ Dąbrowski", "lukasz dabrowski"),
        ("Weißmann", "weissmann"),
        ("Müller-Lüdenscheidt", "muller ludenscheidt"),
        ("  François   Lefèvre ", "francois lefevre"),
        ("Søren Ærø", "soren aero"),
        ("O'Brien", "o brien"),
        ("", ""),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_name_key_ignores_order_case_and_diacritics() -> None:
    assert name_key("Jan", "Kowalski") == name_key("KOWALSKI", "jan") == "jan kowalski"
    assert name_key("Zoë", "Müller") == name_key("Zoe", "Muller")
    assert name_key("", "") == ""


def test_postal_key() -> None:
    assert postal_key("31-000") == postal_key("31000") == "31000"
    assert postal_key("sw1a 1aa") == "SW1A1AA"
