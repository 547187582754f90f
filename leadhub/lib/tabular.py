"""Rows out of a dropped file: CSV with a header (delimiter sniffed) or a JSON list of
objects. Pure: bytes in, rows out, each row knowing where it came from so that every
problem can be reported by line (CSV) or item (JSON).

Shared by the ERP quote import and the catalogue import; each validates its own columns.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class Row:
    where: str  # "line 3" (CSV, the physical line) or "item 2" (JSON, counted from 1)
    values: dict[str, Any]  # column names lower-cased and stripped


@dataclass(frozen=True)
class RowError:
    where: str
    field: str
    message: str
    index: int = -1  # the row's position from 0, for API paths such as quotes[0].amount

    def __str__(self) -> str:
        if self.field:
            return f"{self.where}: {self.field}: {self.message}"
        return f"{self.where}: {self.message}"


class TableError(ValueError):
    """The file (or some rows) cannot be used; `errors` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


DELIMITERS = ",;\t|"


def read_rows(data: bytes, *, filename: str, list_key: str = "") -> list[Row]:
    """Rows of a CSV (anything not ending in .json) or JSON file. A JSON file holds a list of
    objects, or an object holding that list under `list_key`."""
    if filename.lower().endswith(".json"):
        return _json_rows(data, list_key)
    return _csv_rows(data)


def _decode(data: bytes) -> str:
    # ERPs on Windows still write Windows-1252; UTF-8 (with or without BOM) is tried first.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(data: bytes) -> list[Row]:
    text = _decode(data)
    if not text.strip():
        raise TableError([RowError("line 1", "", "the file is empty")])
    first = text.splitlines()[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first, delimiters=DELIMITERS)
    except csv.Error:
        dialect = csv.excel  # one column, or nothing to tell by: commas
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = [h.strip().lower() for h in next(reader)]
    rows: list[Row] = []
    line = reader.line_num
    for cells in reader:
        where, line = f"line {line + 1}", reader.line_num
        if not any(c.strip() for c in cells):
            continue  # blank lines (a trailing one, mostly) are not rows
        if len(cells) > len(header):
            rows.append(Row(where, {"__extra__": len(cells) - len(header)}))
            continue
        rows.append(Row(where, {h: c.strip() for h, c in zip(header, cells, strict=False) if h}))
    return rows


def _json_rows(data: bytes, list_key: str) -> list[Row]:
    try:
        raw = json.loads(_decode(data))
    except json.JSONDecodeError as exc:
        raise TableError(
            [RowError(f"line {exc.lineno}", "", f"not valid JSON: {exc.msg}")]
        ) from exc
    if isinstance(raw, dict) and list_key and isinstance(raw.get(list_key), list):
        raw = raw[list_key]
    if not isinstance(raw, list):
        wanted = f"a list of objects (or an object with {list_key!r})" if list_key else "a list"
        raise TableError([RowError("file", "", f"must be {wanted}")])
    rows = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            rows.append(Row(f"item {n}", {"__not_object__": True}))
        else:
            rows.append(Row(f"item {n}", {str(k).strip().lower(): v for k, v in item.items()}))
    return rows


def shape_problem(row: Row, index: int) -> RowError | None:
    """A row that is not a row at all (too many cells, not an object)."""
    if "__extra__" in row.values:
        extra = row.values["__extra__"]
        return RowError(row.where, "", f"{extra} cell(s) more than the header", index)
    if "__not_object__" in row.values:
        return RowError(row.where, "", "must be an object", index)
    return None


def missing_columns(rows: list[Row], required: tuple[str, ...], *, csv_header: bool) -> list[str]:
    """Required columns absent from every row (a CSV header without them is one problem)."""
    if not csv_header or not rows:
        return []
    present = set().union(*(r.values for r in rows))
    return [c for c in required if c not in present]


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


_GROUPING = re.compile(r"[\s'\u00a0\u202f]")


def parse_amount(value: Any) -> Decimal:
    """An amount written with a decimal point or a decimal comma: 1234.5, 1.234,50,
    1,234.50, 1'234.50, 1 234,50. A lone separator followed by exactly three digits
    (1.234, 1,234) is ambiguous and refused rather than guessed."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, int | float):  # a JSON number: its point is a decimal point
        return Decimal(repr(value) if isinstance(value, float) else str(value))
    s = _GROUPING.sub("", text(value))
    if not s:
        raise ValueError("is required")
    whole, decimals = s, ""
    last = max(s.rfind(","), s.rfind("."))
    if last >= 0:
        separator = s[last]
        grouping = "." if separator == "," else ","
        if separator in s[:last]:  # 1.234.567 or 1,234,567: grouping only, no decimals
            grouping = separator
        else:
            whole, decimals = s[:last], s[last + 1 :]
            if len(decimals) == 3 and grouping not in whole and whole.lstrip("-") != "0":
                raise ValueError(f"{value!s} is ambiguous: write 1234.00 or 1234,00")
        if grouping in whole:  # thousands: 1-3 digits, then groups of exactly three
            g = re.escape(grouping)
            if not re.fullmatch(rf"-?\d{{1,3}}({g}\d{{3}})+", whole):
                raise ValueError(f"{value!s} is not an amount")
            whole = whole.replace(grouping, "")
    s = f"{whole}.{decimals}" if decimals else whole
    if not re.fullmatch(r"-?\d+(\.\d+)?", s):
        raise ValueError(f"{value!s} is not an amount")
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules it out
        raise ValueError(f"{value!s} is not an amount") from exc


TRUE = {"1", "true", "yes", "y", "x", "ja", "si", "sì", "oui", "tak"}
FALSE = {"", "0", "false", "no", "n", "nein", "non", "nie"}


def parse_bool(value: Any) -> bool | None:
    """True/false in the ways spreadsheets write it; None when the cell is empty."""
    if isinstance(value, bool):
        return value
    s = text(value).lower()
    if s in TRUE:
        return True
    if s in FALSE:
        return None if s == "" else False
    raise ValueError(f"{value!s} is not yes or no")
