import pytest

from leadhub.contacts.identifiers import IdentifierError, normalise_email, normalise_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Luca.Moretti@Example.COM", "luca.moretti@example.com"),
        ("  anna@bücher.de ", "anna@bücher.de"),
    ],
)
def test_normalise_email(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize("raw", ["x@", "no-at-sign", "a@b", "two@@example.com"])
def test_refuses_bad_email(raw: str) -> None:
    with pytest.raises(IdentifierError, match="not a valid e-mail address"):
        normalise_email(raw)


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("0471 123456", "IT", "+390471123456"),
        ("+43 512 567890", "IT", "+43512567890"),  # an explicit prefix wins over the country
        ("0512 567890", "AT", "+43512567890"),
        ("12 345 67 89", "PL", "+48123456789"),
        ("030 1234567", "de", "+49301234567"),
    ],
)
def test_normalise_phone_to_e164(raw: str, country: str, expected: str) -> None:
    assert normalise_phone(raw, country) == expected


def test_refuses_invalid_phone_naming_the_country() -> None:
    with pytest.raises(IdentifierError, match="for country IT"):
        normalise_phone("12", "IT")
    with pytest.raises(IdentifierError, match="not a phone number"):
        normalise_phone("call me", "IT")
