"""Writing rows to a file: xlsx (xlsxwriter, constant memory) or CSV (decision 0043).

Both take rows one at a time and keep none: xlsxwriter's constant_memory mode flushes each
row to a temporary file as the next one starts, and CSV goes straight to the file. Text
cells that a spreadsheet would read as a formula are guarded in both (guard.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import IO, Protocol

import xlsxwriter
from django.utils.translation import gettext as _

from .columns import AMOUNT, COLUMNS, WHEN, Cell
from .guard import csv_separator, decimal_text, guard, needs_guard

CSV_DATETIME = "%Y-%m-%d %H:%M"


class RowWriter(Protocol):
    def header(self, names: Sequence[str]) -> None: ...
    def row(self, cells: Sequence[Cell]) -> None: ...
    def close(self) -> None: ...


class CsvRows:
    """UTF-8 with a BOM (so spreadsheet programs read accents), `;` or `,` by language.
    Also writes the reports' tables (reports/export.py), whose cells may be floats."""

    def __init__(self, out: IO[bytes], language: str) -> None:
        out.write("\ufeff".encode())
        self._text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        self._csv = csv.writer(self._text, delimiter=csv_separator(language))
        self._language = language

    def header(self, names: Sequence[str]) -> None:
        self._csv.writerow(names)

    def row(self, cells: Sequence[Cell | float]) -> None:
        self._csv.writerow([self._text_of(v) for v in cells])

    def _text_of(self, value: Cell | float) -> str | int:
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return decimal_text(value, self._language)
        if isinstance(value, float):  # a rate or hours, already rounded: its digits as they are
            return decimal_text(repr(value), self._language)
        if isinstance(value, datetime):
            return value.strftime(CSV_DATETIME)
        if isinstance(value, int):
            return value
        return guard(value)

    def close(self) -> None:
        self._text.flush()
        self._text.detach()  # the caller owns (and closes) the binary file


class XlsxRows:
    """One sheet: bold, frozen header row with an autofilter; dates and amounts as real
    dates and numbers with formats; widths from the columns."""

    def __init__(self, out: IO[bytes] | str) -> None:
        self._book = xlsxwriter.Workbook(
            out, {"constant_memory": True, "strings_to_numbers": False}
        )
        self._sheet = self._book.add_worksheet(_("Enquiries")[:31])
        self._bold = self._book.add_format({"bold": True})
        self._when = self._book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self._money = self._book.add_format({"num_format": "#,##0.00"})
        # Excel's own leading apostrophe: shown as text, never evaluated, even once edited.
        self._quoted = self._book.add_format({"quote_prefix": True})
        self._n = 0
        for col, c in enumerate(COLUMNS):
            fmt = {WHEN: self._when, AMOUNT: self._money}.get(c.kind)
            self._sheet.set_column(col, col, c.width, fmt)

    def header(self, names: Sequence[str]) -> None:
        self._sheet.write_row(0, 0, list(names), self._bold)
        self._sheet.freeze_panes(1, 0)
        self._n = 1

    def row(self, cells: Sequence[Cell]) -> None:
        sheet, r = self._sheet, self._n
        for col, value in enumerate(cells):
            if value is None or value == "":
                continue
            if isinstance(value, datetime):
                sheet.write_datetime(r, col, value, self._when)
            elif isinstance(value, Decimal):
                sheet.write_number(r, col, float(value), self._money)
            elif isinstance(value, int):
                sheet.write_number(r, col, value)
            elif needs_guard(value):
                sheet.write_string(r, col, value, self._quoted)
            else:
                sheet.write_string(r, col, value)
        self._n += 1

    def close(self) -> None:
        if self._n:
            self._sheet.autofilter(0, 0, max(self._n - 1, 1), len(COLUMNS) - 1)
        self._book.close()


def writer_for(fmt: str, out: IO[bytes], language: str) -> RowWriter:
    if fmt == "csv":
        return CsvRows(out, language)
    return XlsxRows(out)
