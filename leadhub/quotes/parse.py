"""ERP rows -> quote records (pure: no database). Every bad row is reported by line.

Columns (docs/quotes.md): enquiry_number, number, kind, amount, currency, date, main,
external_id. Unknown columns are ignored: ERP exports carry many.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from leadhub.lib.tabular import (
    Row,
    RowError,
    TableError,
    missing_columns,
    parse_amount,
    parse_bool,
    read_rows,
    shape_problem,
    text,
)

REQUIRED = ("enquiry_number", "number", "amount")
KINDS = ("quote", "order")
MAX_AMOUNT = Decimal("9999999999.99")  # what the enquiry's amount fields hold
_NUMBER = re.compile(r"^(\d{6})[/-]?(\d{6,9})$")
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")


@dataclass(frozen=True)
class QuoteRecord:
    where: str
    index: int  # position among the rows, from 0 (the API names rows quotes[index])
    enquiry_number: str  # normalised: 261123/000025
    number: str
    kind: str
    amount: Decimal
    currency: str
    date: date | None
    main: bool | None  # None: not said
    external_id: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.enquiry_number, self.number, self.kind)


def normalise_enquiry_number(value: str) -> str:
    """261123/000025, 261123-000025 and the copied digits 261123000025 are one number."""
    m = _NUMBER.match(value.strip())
    if m is None:
        raise ValueError(f"{value!r} is not an enquiry number such as 261123/000025")
    return f"{m[1]}/{m[2]}"


def parse_quotes(data: bytes, *, filename: str, default_currency: str) -> list[QuoteRecord]:
    """All records of the file, or TableError listing every bad row."""
    rows = read_rows(data, filename=filename, list_key="quotes")
    return records_of(
        rows, csv_header=not filename.lower().endswith(".json"), default_currency=default_currency
    )


def records_of(rows: list[Row], *, csv_header: bool, default_currency: str) -> list[QuoteRecord]:
    missing = missing_columns(rows, REQUIRED, csv_header=csv_header)
    if missing:
        raise TableError([RowError("line 1", "", f"missing column(s): {', '.join(missing)}")])
    errors: list[RowError] = []
    records: list[QuoteRecord] = []
    seen: dict[tuple[str, str, str], str] = {}
    mains: dict[tuple[str, str], str] = {}
    for index, row in enumerate(rows):
        problem = shape_problem(row, index)
        if problem is not None:
            errors.append(problem)
            continue
        record, problems = _record(row, index, default_currency)
        errors += problems
        if record is None:
            continue
        if record.key in seen:
            errors.append(RowError(row.where, "number", f"repeats {seen[record.key]}", index))
            continue
        seen[record.key] = row.where
        if record.main:
            pair = (record.enquiry_number, record.kind)
            if pair in mains:
                errors.append(
                    RowError(
                        row.where, "main", f"{mains[pair]} is already the main {record.kind}", index
                    )
                )
                continue
            mains[pair] = row.where
        records.append(record)
    if errors:
        raise TableError(errors)
    return records


def _record(
    row: Row, index: int, default_currency: str
) -> tuple[QuoteRecord | None, list[RowError]]:
    v = row.values
    errors: list[RowError] = []

    def bad(name: str, message: str) -> None:
        errors.append(RowError(row.where, name, message, index))

    enquiry_number = number = ""
    try:
        enquiry_number = normalise_enquiry_number(text(v.get("enquiry_number")))
    except ValueError as exc:
        bad("enquiry_number", str(exc) if text(v.get("enquiry_number")) else "is required")
    number = text(v.get("number"))
    if not number:
        bad("number", "is required")
    elif len(number) > 64:
        bad("number", "is longer than 64 characters")
    kind = text(v.get("kind")).lower() or "quote"
    if kind not in KINDS:
        bad("kind", f"{kind!r} is neither quote nor order")
    amount = Decimal(0)
    try:
        amount = parse_amount(v.get("amount"))
    except ValueError as exc:
        bad("amount", str(exc))
    else:
        if amount < 0 or amount > MAX_AMOUNT:
            bad("amount", "must lie between 0 and 9999999999.99")
        elif amount.as_tuple().exponent < -2:  # type: ignore[operator]
            bad("amount", "has more than two decimals")
    currency = (text(v.get("currency")) or default_currency).upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        bad("currency", f"{currency!r} is not a three-letter currency code such as EUR")
    when = None
    if text(v.get("date")):
        when = _date(text(v.get("date")))
        if when is None:
            bad("date", f"{text(v.get('date'))!r} is not a date (2026-11-20 or 20.11.2026)")
    main = None
    try:
        main = parse_bool(v.get("main"))
    except ValueError as exc:
        bad("main", str(exc))
    external_id = text(v.get("external_id"))[:200]
    if errors:
        return None, errors
    record = QuoteRecord(
        row.where, index, enquiry_number, number, kind, amount, currency, when, main, external_id
    )
    return record, []


def _date(value: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None
