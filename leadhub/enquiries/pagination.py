"""Keyset pagination over one sort column and the id: stable under inserts, and as fast on
page 500 as on page 1 (no OFFSET).

Each sort is a column and a direction. Empty values (an open enquiry always has a due date,
a closed one may not) sit at the end an index scan reaches them: last ascending, first
descending, so PostgreSQL reads the (owner, column, id) indexes forwards or backwards.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, OrderBy, Q, QuerySet

from .models import Enquiry


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Page:
    items: list[Enquiry]
    next_cursor: str | None


@dataclass(frozen=True)
class Sort:
    column: str  # a DateTimeField of Enquiry
    descending: bool

    def order_by(self) -> tuple[OrderBy, str]:
        if self.descending:
            return F(self.column).desc(nulls_first=True), "-id"
        return F(self.column).asc(nulls_last=True), "id"

    def after(self, value: datetime | None, pk: int) -> Q:
        """Rows that come after the row (value, pk) in this order."""
        c = self.column
        if self.descending:
            if value is None:
                return Q(**{f"{c}__isnull": True, "id__lt": pk}) | Q(**{f"{c}__isnull": False})
            return Q(**{f"{c}__lt": value}) | Q(**{c: value, "id__lt": pk})
        if value is None:
            return Q(**{f"{c}__isnull": True, "id__gt": pk})
        return (
            Q(**{f"{c}__gt": value}) | Q(**{c: value, "id__gt": pk}) | Q(**{f"{c}__isnull": True})
        )


# E1: the list's sortable columns, each both ways. "newest" is the API's older name.
SORTS = {
    "due": Sort("due_at", descending=False),
    "-due": Sort("due_at", descending=True),
    "created": Sort("created_at", descending=False),
    "-created": Sort("created_at", descending=True),
    "updated": Sort("updated_at", descending=False),
    "-updated": Sort("updated_at", descending=True),
    "newest": Sort("created_at", descending=True),
}


def encode_cursor(at: datetime | None, pk: int) -> str:
    """The position after a row: its sort key (an instant, or none) and its id."""
    value = at.isoformat() if at else ""
    return base64.urlsafe_b64encode(f"{value}|{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime | None, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        value, pk = raw.split("|")
        return (datetime.fromisoformat(value) if value else None), int(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadCursor("cursor is not one this API handed out") from exc


def paginate(qs: QuerySet[Enquiry], *, sort: str, cursor: str | None, limit: int) -> Page:
    """E1: the list in the order `sort` names (due date by default), a page at a time."""
    order = SORTS.get(sort, SORTS["due"])
    ordered = qs.order_by(*order.order_by())
    if cursor:
        ordered = ordered.filter(order.after(*decode_cursor(cursor)))
    rows = list(ordered[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if not (more and rows):
        return Page(items=rows, next_cursor=None)
    last = rows[-1]
    return Page(items=rows, next_cursor=encode_cursor(getattr(last, order.column), last.pk))
