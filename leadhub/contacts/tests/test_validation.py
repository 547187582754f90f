"""The pure checks: VAT numbers and national ids per country, provinces, company keys and
a whole contact's details with every problem by field."""

from __future__ import annotations

import pytest

from leadhub.contacts.company import company_key
from leadhub.contacts.identifiers import IdentifierError
from leadhub.contacts.provinces import check_province, has_provinces, provinces
from leadhub.contacts.tax import normalise_national_id, normalise_vat
from leadhub.contacts.validation import (
    ContactDetails,
    ContactInvalid,
    EmailRow,
    PhoneRow,
    check_details,
    check_emails,
    check_phones,
)


@pytest.mark.parametrize(
    ("raw", "country", "compact"),
    [
        ("IT 00743110157", "IT", "00743110157"),
        ("00743110157", "it", "00743110157"),
        ("DE 136 695 976", "DE", "136695976"),
        ("ATU13585627", "AT", "U13585627"),
        ("PL 856-734-62-15", "PL", "8567346215"),
        ("FR 40 303 265 045", "FR", "40303265045"),
    ],
)
def test_vat_numbers_are_checked_and_stored_compact(raw: str, country: str, compact: str) -> None:
    assert normalise_vat(raw, country) == compact


@pytest.mark.parametrize(
    ("raw", "country"),
    [
        ("00743110158", "IT"),  # wrong check digit
        ("136695977", "DE"),
        ("ATU13585628", "AT"),
        ("8567346216", "PL"),
        ("41303265045", "FR"),
        ("123", "IT"),  # too short
    ],
)
def test_bad_vat_numbers_are_refused_saying_the_country(raw: str, country: str) -> None:
    with pytest.raises(IdentifierError, match=f"not a valid VAT number for {country}"):
        normalise_vat(raw, country)


def test_vat_number_needs_a_country_and_blank_is_none() -> None:
    assert normalise_vat("  ", "") == ""
    with pytest.raises(IdentifierError, match="country"):
        normalise_vat("00743110157", "")


@pytest.mark.parametrize(
    ("raw", "country", "compact"),
    [
        ("RSSMRA85T10A562S", "IT", "RSSMRA85T10A562S"),
        ("rssmra 85t10 a562s", "IT", "RSSMRA85T10A562S"),
        ("44051401359", "PL", "44051401359"),
        ("54362315-K", "ES", "54362315K"),  # DNI
        ("X-2482300-W", "ES", "X2482300W"),  # NIE
        ("Reisepass 123", "CH", "Reisepass 123"),  # no validator: kept as typed
    ],
)
def test_national_ids(raw: str, country: str, compact: str) -> None:
    assert normalise_national_id(raw, country) == compact


@pytest.mark.parametrize(
    ("raw", "country"),
    [("RSSMRA85T10A562T", "IT"), ("44051401358", "PL"), ("54362315Z", "ES")],
)
def test_bad_national_ids_are_refused(raw: str, country: str) -> None:
    with pytest.raises(IdentifierError, match=f"not a valid national id for {country}"):
        normalise_national_id(raw, country)


def test_provinces_of_italy_spain_and_portugal() -> None:
    italy = dict(provinces("IT"))
    assert {"BZ", "TN", "AO", "MI", "RM", "SU"} <= italy.keys()
    assert len(italy) == 107  # every sigla, Aosta included
    assert dict(provinces("ES"))["MA"] == "Málaga"
    assert len(provinces("ES")) == 52  # 50 provinces, Ceuta and Melilla
    assert dict(provinces("pt"))["01"] == "Aveiro"
    assert len(provinces("PT")) == 20  # 18 districts, Azores and Madeira
    assert provinces("DE") == () and not has_provinces("DE") and has_provinces("it")


@pytest.mark.parametrize(
    ("country", "raw", "code"),
    [
        ("IT", "bz", "BZ"),
        ("IT", "Trento", "TN"),
        ("IT", "aosta", "AO"),
        ("ES", "málaga", "MA"),
        ("PT", "Aveiro", "01"),
        ("DE", "Bayern", "Bayern"),  # free text where there is no list
        ("IT", "", ""),
    ],
)
def test_check_province(country: str, raw: str, code: str) -> None:
    assert check_province(country, raw) == code


def test_unknown_province_is_refused() -> None:
    with pytest.raises(IdentifierError, match="not a province of IT: XX"):
        check_province("IT", "XX")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Fenster Müller GmbH & Co. KG", "fenster muller"),
        ("FENSTER MÜLLER gmbh", "fenster muller"),
        ("Serramenti Rossi S.r.l.", "serramenti rossi"),
        ("Serramenti Rossi SpA", "serramenti rossi"),
        ("Okna Nowak Sp. z o.o.", "okna nowak"),
        ("Ventanas García, S.L.", "ventanas garcia"),
        ("AG", "ag"),  # only a legal form: kept rather than emptied
        ("", ""),
    ],
)
def test_company_key(name: str, key: str) -> None:
    assert company_key(name) == key


def test_check_details_reports_every_problem_by_field() -> None:
    bad = ContactDetails(
        kind="robot", country="IT", province="XX", vat_number="123", national_id="nope"
    )
    with pytest.raises(ContactInvalid) as caught:
        check_details(bad)
    assert set(caught.value.problems) == {
        "kind",
        "last_name",
        "province",
        "vat_number",
        "national_id",
    }


def test_check_details_normalises() -> None:
    d = check_details(
        ContactDetails(
            last_name="  Rossi ",
            company="Rossi  S.r.l.",
            country="it",
            province="bolzano",
            vat_number="IT00743110157",
            language="IT",
        )
    )
    assert (d.last_name, d.company, d.country, d.province) == ("Rossi", "Rossi S.r.l.", "IT", "BZ")
    assert (d.vat_number, d.language) == ("00743110157", "it")


def test_rows_are_normalised_in_order_without_blanks_or_repeats() -> None:
    problems: dict[str, str] = {}
    emails = check_emails(
        [EmailRow("A@Example.com"), EmailRow(""), EmailRow("a@example.com", "private")], problems
    )
    phones = check_phones([PhoneRow("0471 123456", "mobile"), PhoneRow("x")], "IT", problems)
    assert emails == [EmailRow("a@example.com", "work")]
    assert phones == [PhoneRow("+390471123456", "mobile")]
    assert set(problems) == {"phones.1"}
    check_emails([EmailRow("b@example.com", "fax")], problems)
    assert "label" in problems["emails.0"]
