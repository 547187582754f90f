"""Each table as a download: CSV and xlsx with the rules of the list's exports (decision
0043, leadhub/exports): the CSV separator and decimal mark of the user's language, and the
formula guard on text cells in both formats — a tag, unit or item name typed as
`=HYPERLINK(...)` must not become a live formula on the manager's machine."""

from __future__ import annotations

import io
from decimal import Decimal

import xlsxwriter

from leadhub.exports.guard import needs_guard
from leadhub.exports.write import CsvRows

from .tables import Table


def to_csv(table: Table, language: str) -> bytes:
    out = io.BytesIO()
    rows = CsvRows(out, language)
    rows.header([c.label for c in table.columns])
    for row in table.rows:
        rows.row(row)
    rows.close()
    return out.getvalue()


def to_xlsx(table: Table) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(table.key[:31])
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    quoted = book.add_format({"quote_prefix": True})  # Excel's own apostrophe, as exports/write.py
    for col, c in enumerate(table.columns):
        sheet.write(0, col, c.label, bold)
        sheet.set_column(col, col, max(10, min(40, len(c.label) + 2)))
    for r, row in enumerate(table.rows, start=1):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, Decimal):
                sheet.write_number(r, col, float(value), money)
            elif isinstance(value, int | float):
                sheet.write_number(r, col, value)
            elif needs_guard(text := str(value)):
                sheet.write_string(r, col, text, quoted)
            else:
                sheet.write_string(r, col, text)
    book.close()
    return out.getvalue()
