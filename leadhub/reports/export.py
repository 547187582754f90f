"""Each table as a download: CSV (UTF-8 with a BOM, so spreadsheet programs read accents)
and xlsx (xlsxwriter, numbers as numbers)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import xlsxwriter

from .tables import Cell, Table


def _plain(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value)
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow([_plain(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode()


def to_xlsx(table: Table) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(table.key[:31])
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
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
            else:
                sheet.write_string(r, col, str(value))
    book.close()
    return out.getvalue()
