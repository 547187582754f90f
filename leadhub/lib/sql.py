"""Two SQL shapes the ORM does not write by itself, for queries that must use an index
however PostgreSQL plans them.

With prepared statements (config/settings.py) PostgreSQL may switch a statement to a
generic plan, made without the values. Such a plan cannot prove that `status NOT IN ($1,
$2)` implies a partial index's `status NOT IN ('closed', 'ordered')`, nor bound an index
range by `a > $1 OR (a = $1 AND id > $2)`: the enquiry list's page 50 then read 800,000
index entries (2 s) instead of 51 (docs/benchmarks.md, "Enquiry list").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Func, Lookup
from django.db.models.sql.compiler import SQLCompiler

_PLAIN = re.compile(r"[A-Za-z0-9_]+")


class LiteralIn(Lookup):
    """`LiteralIn(F("status"), [...])`: IN with the values written into the SQL, as a
    partial index's condition is. For fixed code values only (letters, digits, `_`)."""

    lookup_name = "literal_in"

    def get_prep_lookup(self) -> Any:
        values = sorted(self.rhs)
        if not values or not all(isinstance(v, str) and _PLAIN.fullmatch(v) for v in values):
            raise ValueError("literal_in takes a non-empty list of plain code values")
        return values

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        lhs, params = self.process_lhs(compiler, connection)
        listed = ", ".join(f"'{v}'" for v in self.rhs)
        return f"{lhs} IN ({listed})", tuple(params)


class Row(Func):
    """A row value `(a, b)`. `GreaterThan(Row(F("x"), F("id")), Row(Value(x), Value(pk)))`
    is one comparison PostgreSQL bounds an index range with (SQLite has row values too)."""

    function = ""
    template = "(%(expressions)s)"
    output_field = Field()


HEAVY_READ_WORK_MEM = "64MB"


@contextmanager
def heavy_reads() -> Iterator[None]:
    """For reads over hundreds of thousands of rows (reports), on PostgreSQL: statements
    are planned with their values every time, never by a generic plan (planning costs
    nothing beside their run, and the best plan depends on the values: a year or a month,
    a brand or a partner); sorts (percentiles, COUNT DISTINCT) get the memory to stay off
    the disk. One transaction, settings local to it."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
                "set_config('work_mem', %s, true)",
                [HEAVY_READ_WORK_MEM],
            )
        yield
