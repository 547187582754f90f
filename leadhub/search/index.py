"""Keeping the search documents current (decision 0049): `refresh(enquiry_ids)` is the one
function the writers call, in their transaction, after they changed anything searchable
(number, contact, site, notes, documents, who is responsible, who holds or follows the
enquiry). `reindex()` rebuilds every document in batches (`leadhub search reindex`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection, transaction

from .source import Dialect, insert_documents
from .text import fold


def dialect() -> Dialect:
    return Dialect(postgres=connection.vendor == "postgresql")


def prepare_sqlite() -> None:
    """SQLite has no unaccent: our fold() stands in, on this connection."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        raw.create_function("leadhub_fold", 1, _fold_or_none, deterministic=True)


def _fold_or_none(text: str | None) -> str | None:
    return None if text is None else fold(text)


def refresh(enquiry_ids: Iterable[int]) -> None:
    """Rewrite the search documents of these enquiries from what is stored now."""
    ids = sorted({int(i) for i in enquiry_ids})
    if not ids:
        return
    d = dialect()
    prepare_sqlite()
    with connection.cursor() as cur:  # one statement: atomic in the caller's transaction
        if d.postgres and len(ids) == 1:
            # `e.id = $1`, not ANY: PostgreSQL then keeps the prepared statement's generic
            # plan (0.5 ms a delivery) where it planned ANY($1) anew each time (+0.9 ms).
            cur.execute(insert_documents(d, "e.id = %s"), ids)
        elif d.postgres:
            cur.execute(insert_documents(d, "e.id = ANY(%s)"), [ids])
        else:
            marks = ", ".join(["%s"] * len(ids))
            cur.execute(insert_documents(d, f"e.id IN ({marks})"), ids)


def reindex(batch: int = 20_000, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild every document, `batch` enquiries per transaction (by id range, so a batch
    is one index range scan). Documents go with their enquiries (ON DELETE CASCADE)."""
    d = dialect()
    prepare_sqlite()
    with connection.cursor() as cur:
        cur.execute("SELECT min(id), max(id) FROM enquiries_enquiry")
        low, high = cur.fetchone() or (None, None)
    if low is None or high is None:
        return 0
    done = 0
    for start in range(low, high + 1, batch):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(insert_documents(d, "e.id >= %s AND e.id < %s"), [start, start + batch])
            done += max(cur.rowcount, 0)
        if progress:
            progress(done)
    return done
