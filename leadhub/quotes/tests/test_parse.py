from decimal import Decimal
from pathlib import Path

import pytest

from leadhub.lib.tabular import TableError, parse_amount, parse_bool
from leadhub.quotes.parse import normalise_enquiry_number, parse_quotes

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str, a: str = "261123/000025", b: str = "261124-000003") -> bytes:
    return (FIXTURES / name).read_text().replace("{A}", a).replace("{B}", b).encode()


def test_semicolon_csv_with_decimal_commas() -> None:
    records = parse_quotes(
        fixture("erp-export-semicolon.csv"),
        filename="erp-export-semicolon.csv",
        default_currency="EUR",
    )
    assert [(r.enquiry_number, r.number, r.kind, r.amount, r.main) for r in records] == [
        ("261123/000025", "AN-2026-0042", "quote", Decimal("12480.50"), True),
        ("261123/000025", "AN-2026-0043", "quote", Decimal("11990.00"), None),
        ("261124/000003", "AU-2026-0007", "order", Decimal("9870.00"), True),
    ]
    assert str(records[0].date) == "2026-11-20" and str(records[2].date) == "2026-11-28"
    assert records[0].where == "line 2"


def test_json_list_with_numbers_and_defaults() -> None:
    records = parse_quotes(fixture("erp-export.json"), filename="x.json", default_currency="CHF")
    first, second = records
    assert (first.amount, first.currency, first.external_id) == (Decimal("4200.5"), "EUR", "erp-77")
    assert (second.kind, second.amount, second.currency, second.main) == (
        "quote",
        Decimal("3999.00"),
        "EUR",
        None,
    )
    assert second.where == "item 2"


def test_comma_delimited_csv_is_sniffed() -> None:
    data = b"Enquiry_Number,Number,Amount\n261123000025,Q1,100.00\n"
    (r,) = parse_quotes(data, filename="q.csv", default_currency="EUR")
    assert (r.enquiry_number, r.kind, r.amount, r.currency) == (
        "261123/000025",
        "quote",
        Decimal("100.00"),
        "EUR",
    )


def test_every_bad_row_is_listed_by_line() -> None:
    data = (
        b"enquiry_number;number;kind;amount;date;main\n"
        b"261123/000025;Q1;quote;1.234;2026-11-20;yes\n"  # ambiguous amount
        b"nonsense;Q2;offer;12,50;31.02.2026;maybe\n"
        b"261123/000025;Q3;order;-5;;\n"
        b"261123/000025;Q1;quote;10;;\n"  # repeats line 2 (which itself failed: not seen)
        b"261123/000025;Q4;quote;10;;yes\n"
        b"261123/000025;Q5;quote;11;;yes\n"  # a second main quote
    )
    with pytest.raises(TableError) as caught:
        parse_quotes(data, filename="q.csv", default_currency="EUR")
    listed = [str(e) for e in caught.value.errors]
    assert listed == [
        "line 2: amount: 1.234 is ambiguous: write 1234.00 or 1234,00",
        "line 3: enquiry_number: 'nonsense' is not an enquiry number such as 261123/000025",
        "line 3: kind: 'offer' is neither quote nor order",
        "line 3: date: '31.02.2026' is not a date (2026-11-20 or 20.11.2026)",
        "line 3: main: maybe is not yes or no",
        "line 4: amount: must lie between 0 and 9999999999.99",
        "line 7: main: line 6 is already the main quote",
    ]


def test_repeated_rows_and_missing_columns() -> None:
    data = b"enquiry_number,number,amount\n261123/000025,Q1,10\n261123-000025,Q1,11\n"
    with pytest.raises(TableError) as caught:
        parse_quotes(data, filename="q.csv", default_currency="EUR")
    assert [str(e) for e in caught.value.errors] == ["line 3: number: repeats line 2"]
    with pytest.raises(TableError) as caught:
        parse_quotes(b"number;amount\nQ1;10\n", filename="q.csv", default_currency="EUR")
    assert str(caught.value.errors[0]) == "line 1: missing column(s): enquiry_number"


def test_bad_json_and_rows_that_are_not_objects() -> None:
    with pytest.raises(TableError) as caught:
        parse_quotes(b'[{"a": 1},\n oops]', filename="q.json", default_currency="EUR")
    assert str(caught.value.errors[0]).startswith("line 2: not valid JSON")
    with pytest.raises(TableError) as caught:
        parse_quotes(b"[1]", filename="q.json", default_currency="EUR")
    assert str(caught.value.errors[0]) == "item 1: must be an object"
    with pytest.raises(TableError):
        parse_quotes(b'{"rows": []}', filename="q.json", default_currency="EUR")


def test_windows_1252_and_too_many_cells() -> None:
    data = "enquiry_number;number;amount\n261123/000025;Angebot-Ä;10\n261123/000025;X;1;2\n"
    with pytest.raises(TableError) as caught:
        parse_quotes(data.encode("cp1252"), filename="q.csv", default_currency="EUR")
    assert [str(e) for e in caught.value.errors] == ["line 3: 1 cell(s) more than the header"]


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("1234.5", "1234.5"),
        ("1234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1'234.50", "1234.50"),
        ("1 234,50", "1234.50"),
        ("1.234.567", "1234567"),
        ("0,125", "0.125"),
        ("42", "42"),
    ],
)
def test_amounts(written: str, amount: str) -> None:
    assert parse_amount(written) == Decimal(amount)


@pytest.mark.parametrize("written", ["", "1.234", "12,345", "abc", "1,2,3.4.5", True])
def test_amounts_refused(written: object) -> None:
    with pytest.raises(ValueError):
        parse_amount(written)


def test_booleans() -> None:
    assert [parse_bool(v) for v in ("yes", "X", "0", "", True)] == [True, True, False, None, True]


@pytest.mark.parametrize("number", ["261123/000025", "261123-000025", "261123000025"])
def test_enquiry_number_forms(number: str) -> None:
    assert normalise_enquiry_number(number) == "261123/000025"
