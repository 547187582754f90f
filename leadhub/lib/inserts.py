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
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, TypeVar

from django.db import connections, models
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
    plan = _plan(model, with_pk)
    fields = [f for f, _plain in plan.fields]
    size = min(BATCH, MAX_PARAMS // len(fields), connection.ops.bulk_batch_size(fields, rows))
    size = max(1, size)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            params: list[Any] = []
            for row in batch:
                _link_saved_parents(row, plan.parents)
                for field, plain in plan.fields:
                    value = getattr(row, field.attname)
                    # What get_db_prep_save gives such a field for such a value: itself.
                    params.append(value if type(value) in plain else _value(field, row, connection))
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


def _link_saved_parents(row: Model, parents: tuple[ForeignKey[Any, Any], ...]) -> None:
    """A parent assigned before it was saved (`offer.deadline = deadline`) lends its key
    now, as Model.save does."""
    for field in parents:
        if field.is_cached(row):
            parent = field.get_cached_value(row)
            if parent is None or getattr(row, field.attname) is not None:
                continue
            if parent.pk is None:
                raise ValueError(f"{field.name} of this {type(row).__name__} is not saved yet")
            setattr(row, field.attname, parent.pk)


# Field classes (exactly these, not subclasses) whose stock pre_save reads the attribute
# and whose get_db_prep_save returns a value of these types unchanged.
_TEXT = (models.CharField, models.TextField, models.EmailField, models.URLField, models.SlugField)
_INTEGER = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
)
_NONE = type(None)


def _plain_types(field: Field[Any, Any]) -> tuple[type, ...]:
    kind = type(field)
    if kind in (models.ForeignKey, models.OneToOneField):
        assert isinstance(field, ForeignKey)
        return (int, _NONE) if type(field.target_field) in _INTEGER else ()
    if kind in _TEXT:
        return (str, _NONE)
    if kind in _INTEGER:
        return (int, _NONE)
    if kind is models.BooleanField:
        return (bool, _NONE)
    return ()  # dates, decimals, JSON, UUIDs...: the field prepares them


@dataclass(frozen=True)
class _Plan:
    fields: tuple[tuple[Field[Any, Any], tuple[type, ...]], ...]  # with their plain types
    parents: tuple[ForeignKey[Any, Any], ...]


@cache
def _plan(model: type[Model], with_pk: bool) -> _Plan:
    fields = _fields(model, with_pk)
    return _Plan(
        fields=tuple((f, _plain_types(f)) for f in fields),
        parents=tuple(f for f in fields if isinstance(f, ForeignKey)),
    )


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
