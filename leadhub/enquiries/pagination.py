"""Keyset pagination over one sort column and the id: stable under inserts, and as fast on
page 500 as on page 1 (no OFFSET).

Each sort is a column and a direction. Empty values (an open enquiry always has a due date,
a closed one may not) sit at the end an index scan reaches them: last ascending, first
descending, so PostgreSQL reads the (owner, column, id) indexes forwards or backwards.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import F, OrderBy, Q, QuerySet, Value
from django.db.models.lookups import GreaterThan, LessThan

from leadhub.lib.sql import Row

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
    nullable: bool = False  # only the due date may be empty

    def order_by(self) -> tuple[OrderBy, str]:
        if self.descending:
            return F(self.column).desc(nulls_first=True), "-id"
        return F(self.column).asc(nulls_last=True), "id"

    def after(self, value: datetime | None, pk: int) -> Q:
        """Rows that come after the row (value, pk) in this order: a row-value comparison
        where the value is known, so that any plan reads the index from the cursor on
        (lib/sql.py); empty values only where the column can have them."""
        c = self.column
        if value is None:
            if self.descending:
                return Q(**{f"{c}__isnull": True, "id__lt": pk}) | Q(**{f"{c}__isnull": False})
            return Q(**{f"{c}__isnull": True, "id__gt": pk})
        compare = LessThan if self.descending else GreaterThan
        later = Q(compare(Row(F(c), F("id")), Row(Value(value), Value(pk))))
        if self.nullable and not self.descending:  # empty values come last
            return later | Q(**{f"{c}__isnull": True})
        return later

    def key(self, value: datetime | None, pk: int) -> tuple[bool, datetime, int]:
        """The row's place in this order, for sorted(reverse=self.descending): as the
        database orders (empty values last ascending, first descending)."""
        return value is None, value or _EARLIEST, pk


_EARLIEST = datetime.min.replace(tzinfo=UTC)


# E1: the list's sortable columns, each both ways. "newest" is the API's older name.
SORTS = {
    "due": Sort("due_at", descending=False, nullable=True),
    "-due": Sort("due_at", descending=True, nullable=True),
    "created": Sort("created_at", descending=False),
    "-created": Sort("created_at", descending=True),
    "updated": Sort("updated_at", descending=False),
    "-updated": Sort("updated_at", descending=True),
    "newest": Sort("created_at", descending=True),
}


def ordered(qs: QuerySet[Enquiry], sort: str) -> QuerySet[Enquiry]:
    """`qs` in the list's order for `sort` (due date by default): what every page of
    `paginate` continues, as one query (exports read it whole)."""
    return qs.order_by(*SORTS.get(sort, SORTS["due"]).order_by())


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


def paginate(
    qs: QuerySet[Enquiry],
    *,
    sort: str,
    cursor: str | None,
    limit: int,
    parts: Sequence[Q] = (),
) -> Page:
    """E1: the list in the order `sort` names (due date by default), a page at a time.

    `parts` (queries.visible_parts), when `qs` lies within their union (build it with
    queries.enquiries_in(parts)): with several, each part's first keys are read in order
    through its own index and merged, then the page's rows fetched by id; with one, `qs`
    is read as it is."""
    order = SORTS.get(sort, SORTS["due"])
    if cursor:
        qs = qs.filter(order.after(*decode_cursor(cursor)))
    if len(parts) > 1:
        rows = _merged(qs, order, parts, limit + 1)
    else:  # `qs` lies within the one part already: saying it again skews the estimates
        rows = list(ordered(qs, sort)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if not (more and rows):
        return Page(items=rows, next_cursor=None)
    last = rows[-1]
    return Page(items=rows, next_cursor=encode_cursor(getattr(last, order.column), last.pk))


def _merged(qs: QuerySet[Enquiry], order: Sort, parts: Sequence[Q], n: int) -> list[Enquiry]:
    keys: set[tuple[datetime | None, int]] = set()
    bare = qs.select_related(None).prefetch_related(None).order_by(*order.order_by())
    for part in parts:
        keys.update(bare.filter(part).values_list(order.column, "pk")[:n])
    first = sorted(keys, key=lambda k: order.key(*k), reverse=order.descending)[:n]
    place = {pk: i for i, (_value, pk) in enumerate(first)}
    return sorted(qs.filter(pk__in=list(place)), key=lambda e: place[e.pk])
