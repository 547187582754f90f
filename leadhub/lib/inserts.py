"""INSERTs for the hot write paths (intake, routing) with their SQL built once per process.

`QuerySet.bulk_create` and `Model.save` compile an InsertQuery on every call: for the
short rows intake writes that took ≈ 0.4 ms of CPU per statement, more than PostgreSQL
spent running it (docs/benchmarks.md, "Intake throughput"). `insert(rows)` writes the
same rows with the same values — each field still prepares its own value (`pre_save`,
`get_db_prep_save`: auto_now, JSON, time zones) — from SQL text kept per model and row
count. Like bulk_create it sends no signals and calls no `save()`; unlike it, it takes
only plain values (no expressions) and rows of one model.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any, TypeVar

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, ForeignKey, Model

M = TypeVar("M", bound=Model)
BATCH = 500  # rows per statement at most
MAX_PARAMS = 65_535  # PostgreSQL's protocol limit (SQLite's lower one: bulk_batch_size)


def insert(rows: Sequence[M], *, using: str = "default") -> Sequence[M]:
    """Insert `rows` (all of one model, all new) and give them their primary keys.

    Rows whose primary key is set (UUIDs, say) are written with it; otherwise the
    database gives it and the rows get it back (RETURNING, as bulk_create does)."""
    if not rows:
        return rows
    model = type(rows[0])
    if any(type(r) is not model for r in rows):
        raise TypeError("insert() takes rows of one model")
    connection = connections[using]
    with_pk = rows[0].pk is not None
    if any((r.pk is not None) != with_pk for r in rows):
        raise ValueError("insert() takes rows that all have, or all lack, a primary key")
    fields = _fields(model, with_pk)
    size = min(BATCH, MAX_PARAMS // len(fields), connection.ops.bulk_batch_size(fields, rows))
    size = max(1, size)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            params: list[Any] = []
            for row in batch:
                _link_saved_parents(row, fields)
                params.extend(_value(f, row, connection) for f in fields)
            cursor.execute(_sql(model, with_pk, len(batch), using), params)
            if not with_pk:
                keys = cursor.fetchall()
                if len(keys) != len(batch):  # pragma: no cover - a database that lost rows
                    raise RuntimeError(f"{len(batch)} rows inserted, {len(keys)} keys returned")
                for row, (key,) in zip(batch, keys, strict=True):
                    row.pk = key
    for row in rows:
        row._state.adding = False
        row._state.db = using
    return rows


def _value(field: Field[Any, Any], row: Model, connection: BaseDatabaseWrapper) -> Any:
    value = field.pre_save(row, True)  # auto_now, auto_now_add
    if hasattr(value, "resolve_expression"):
        raise TypeError(f"insert() takes plain values; {field.name} is an expression")
    return field.get_db_prep_save(value, connection=connection)


def _link_saved_parents(row: Model, fields: tuple[Field[Any, Any], ...]) -> None:
    """A parent assigned before it was saved (`offer.deadline = deadline`) lends its key
    now, as Model.save does."""
    for field in fields:
        if isinstance(field, ForeignKey) and field.is_cached(row):
            parent = field.get_cached_value(row)
            if parent is None or getattr(row, field.attname) is not None:
                continue
            if parent.pk is None:
                raise ValueError(f"{field.name} of this {type(row).__name__} is not saved yet")
            setattr(row, field.attname, parent.pk)


@cache
def _fields(model: type[Model], with_pk: bool) -> tuple[Field[Any, Any], ...]:
    meta = model._meta
    return tuple(
        f
        for f in meta.concrete_fields
        if not getattr(f, "generated", False) and (with_pk or f is not meta.pk)
    )


@lru_cache(maxsize=1024)  # per model: at most one text per batch size
def _sql(model: type[Model], with_pk: bool, count: int, using: str) -> str:
    connection = connections[using]
    qn = connection.ops.quote_name
    fields = _fields(model, with_pk)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(qn(f.column) for f in fields if f.column)  # every concrete field's
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({columns}) "
        f"VALUES {', '.join([placeholders] * count)}"
    )
    if not with_pk:
        pk = model._meta.pk
        assert pk is not None and pk.column is not None
        sql += f" RETURNING {qn(pk.column)}"
    return sql
