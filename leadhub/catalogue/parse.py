"""Catalogue rows -> items (pure). Columns: sku, name, kind (sample|brochure), language,
active. Every bad row is reported by line (CSV) or item (JSON)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from leadhub.lib.tabular import (
    RowError,
    TableError,
    missing_columns,
    parse_bool,
    read_rows,
    shape_problem,
    text,
)

REQUIRED = ("sku", "name", "kind")
KINDS = ("sample", "brochure")


@dataclass(frozen=True)
class ItemRecord:
    where: str
    sku: str
    name: str
    kind: str
    language: str
    active: bool


def parse_catalogue(data: bytes, *, filename: str) -> list[ItemRecord]:
    rows = read_rows(data, filename=filename, list_key="items")
    csv_header = not filename.lower().endswith(".json")
    missing = missing_columns(rows, REQUIRED, csv_header=csv_header)
    if missing:
        raise TableError([RowError("line 1", "", f"missing column(s): {', '.join(missing)}")])
    errors: list[RowError] = []
    records: list[ItemRecord] = []
    seen: dict[str, str] = {}
    for index, row in enumerate(rows):
        problem = shape_problem(row, index)
        if problem is not None:
            errors.append(problem)
            continue
        v = row.values
        found: list[RowError] = []
        sku = text(v.get("sku"))
        if not sku:
            found.append(RowError(row.where, "sku", "is required", index))
        elif len(sku) > 64:
            found.append(RowError(row.where, "sku", "is longer than 64 characters", index))
        elif sku in seen:
            found.append(RowError(row.where, "sku", f"repeats {seen[sku]}", index))
        name = text(v.get("name"))
        if not name or len(name) > 200:
            found.append(RowError(row.where, "name", "is required, at most 200 characters", index))
        kind = text(v.get("kind")).lower()
        if kind not in KINDS:
            found.append(
                RowError(row.where, "kind", f"{kind!r} is neither sample nor brochure", index)
            )
        language = text(v.get("language")).lower()
        if language and not re.fullmatch(r"[a-z]{2}(-[a-z]{2})?", language):
            found.append(
                RowError(row.where, "language", f"{language!r} is not a code such as de", index)
            )
        active: bool | None = True
        try:
            active = parse_bool(v.get("active"))
        except ValueError as exc:
            found.append(RowError(row.where, "active", str(exc), index))
        if found:
            errors += found
            continue
        seen[sku] = row.where
        records.append(
            ItemRecord(row.where, sku, name, kind, language, True if active is None else active)
        )
    if errors:
        raise TableError(errors)
    return records
