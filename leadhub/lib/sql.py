"""Plans PostgreSQL can be trusted with.

With prepared statements (config/settings.py) PostgreSQL switches a statement that ran
five times to a generic plan, made without the values, when it guesses that one is as
cheap. Such a plan cannot prove that `status NOT IN ($1, $2)` implies a partial index's
`status NOT IN ('closed', 'ordered')`, nor bound an index range by `a > $1 OR (a = $1 AND
id > $2)`, and it guesses the same number of rows for a brand and a small partner: the
enquiry list's page 50 read 800,000 index entries (2 s) instead of 51 (docs/benchmarks.md,
"Enquiry list"). Hence two SQL shapes the ORM does not write by itself (LiteralIn, Row),
and blocks whose statements are always planned with their values (custom_plans,
heavy_reads) where the plan depends on them.
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
def custom_plans() -> Iterator[None]:
    """Statements inside are planned with their values every time, never by a generic
    plan (PostgreSQL only; also a view decorator). For reads whose best plan depends on
    the values: the enquiry list's generic plan guessed 100 rows for any organisation and
    sorted a brand's 32,000 open enquiries through a bitmap instead of walking its index
    (150 ms instead of 1 ms), planning costs ≈ 2 ms. One transaction, SET LOCAL."""
    with _local_settings(plan_cache_mode="force_custom_plan"):
        yield


@contextmanager
def heavy_reads() -> Iterator[None]:
    """custom_plans for reads over hundreds of thousands of rows (reports), whose sorts
    (percentiles, COUNT DISTINCT) also get the memory to stay off the disk."""
    with _local_settings(plan_cache_mode="force_custom_plan", work_mem=HEAVY_READ_WORK_MEM):
        yield


@contextmanager
def _local_settings(**settings: str) -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        _set_local(settings)
        yield


SEARCH_WORK_MEM = "32MB"


@contextmanager
def index_reads() -> Iterator[None]:
    """custom_plans for reads whose plans bitmap_scans_only or index_walks_only choose
    (search). Without JIT: a plan with a switched-off node costs 10^10 to the planner,
    which then compiled it for 260 ms. With the memory to keep a bitmap of 150,000 rows
    exact: at 4 MB its pages went lossy, and each lossy page's every match was rechecked."""
    with _local_settings(plan_cache_mode="force_custom_plan", jit="off", work_mem=SEARCH_WORK_MEM):
        yield


@contextmanager
def bitmap_scans_only() -> Iterator[None]:
    """Inside custom_plans, heavy_reads or index_reads (PostgreSQL): statements read tables
    through bitmaps of their indexes only, no index walk in order and no table scan, for a
    read whose rows an index finds all at once but whose estimate PostgreSQL gets wrong
    (search: a rare word costs as much as a common one to it)."""
    with _switched_off("enable_indexscan", "enable_indexonlyscan", "enable_seqscan"):
        yield


@contextmanager
def index_walks_only() -> Iterator[None]:
    """Inside index_reads (PostgreSQL): statements walk indexes in order and look rows up
    one by one (nested loops), no bitmap, table scan, sort or hash, for a read that stops
    after the first rows in an index's order although PostgreSQL guesses that reading
    everything and sorting is cheaper (search: a common word, rows newest first)."""
    with _switched_off(
        "enable_bitmapscan", "enable_seqscan", "enable_sort", "enable_hashjoin", "enable_mergejoin"
    ):
        yield


@contextmanager
def _switched_off(*switches: str) -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    before = _set_local(dict.fromkeys(switches, "off"))
    yield
    # Back to what they were (not on an error: the transaction is then done for, and its
    # SET LOCALs with it).
    _set_local(before)


def _set_local(settings: dict[str, str]) -> dict[str, str]:
    """SET LOCAL each of `settings`; answers what they were before, read in the same
    statement (its select list runs left to right)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join("current_setting(%s), set_config(%s, %s, true)" for _ in settings),
            [v for name, value in settings.items() for v in (name, name, value)],
        )
        row = cursor.fetchone()
    assert row is not None
    return dict(zip(settings, row[::2], strict=True))
