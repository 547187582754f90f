import pytest

from leadhub.routing.postcodes import PostcodePatternError, parse_postcode_pattern


@pytest.mark.parametrize(
    ("pattern", "code", "expected"),
    [
        ("39100", "39100", True),
        ("39100", "39101", False),
        ("38*", "38100", True),
        ("38*", "39100", False),
        ("39000-39999", "39100", True),
        ("39000-39999", "40000", False),
        ("39000-39999", "3910", False),
        ("sw1*", "SW1A 1AA", True),
        ("00-001-00-999", "00-500", True),
        ("00-001-00-999", "01-500", False),
        ("00-950", "00-950", True),
    ],
)
def test_matches(pattern: str, code: str, expected: bool) -> None:
    assert parse_postcode_pattern(pattern).matches(code) is expected


@pytest.mark.parametrize("bad", ["", "39999-39000", "3*9", "39100-", "39#00"])
def test_refuses_bad_patterns(bad: str) -> None:
    with pytest.raises(PostcodePatternError):
        parse_postcode_pattern(bad)
