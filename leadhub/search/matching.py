"""The SQL that matches and ranks search documents, for PostgreSQL and for SQLite.

A word matches a document when it starts a word of its text (PostgreSQL: a prefix of a
lexeme of the row's language, so "fenst" finds Fenster and "windows" finds "window"), or
when it is a fragment of the key (number, names, phone digits: "0417", "üller"). Every word
must match (decision 0049). Only what the viewer may read is matched: the owner reads the
whole document, the follower all but the owner's documents.

PostgreSQL uses the GIN index on the vectors' concatenation and the trigram index on
`key`; SQLite compares folded texts with LIKE, which is fine for the small data it serves.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.db import connection

from .source import ALL_CONFIGS
from .text import (
    CATEGORIES,
    Query,
    fewest_prefixes,
    fold,
    fold_words,
    like_pattern,
    tsquery_word,
)

T = "search_searchdocument"  # the table's alias in Django's join from Enquiry
VECTORS = {c: f"{T}.v_{c}" for c in CATEGORIES}
# Written exactly as the index search_vector (migration 0001), or PostgreSQL ignores it.
OWNER_VECTOR = "(" + " || ".join(VECTORS[c] for c in (*CATEGORIES[:-1], "documents")) + ")"
FOLLOWER_VECTOR = (
    "(" + " || ".join(VECTORS[c] for c in CATEGORIES[:-1]) + f" || {T}.v_follower_documents)"
)
# The same, vector by vector: what a walk over documents matches (no index needed), ≈ 2.5
# times faster than concatenating six vectors per document (docs/benchmarks.md, "Search").
# A word's tsquery is an OR of prefixes, so it matches the concatenation iff one of them.
OWNER_VECTORS = tuple(VECTORS[c] for c in (*CATEGORIES[:-1], "documents"))
FOLLOWER_VECTORS = (*(VECTORS[c] for c in CATEGORIES[:-1]), f"{T}.v_follower_documents")
# Categories whose fragments the key holds.
KEY_CATEGORIES = ("number", "contact")
WEIGHTS = {"number": 1.0, "contact": 1.0, "site": 0.4, "responsible": 0.4, "notes": 0.2, "documents": 0.2}  # fmt: skip


@dataclass(frozen=True)
class Word:
    typed: str
    folded: str
    # PostgreSQL: the word as a prefix in every configuration, those implied by another
    # left out ('' if none)
    tsquery: str

    @property
    def pattern(self) -> str:
        return like_pattern(self.folded)


def prepared(query: Query) -> list[Word]:
    """The query's words, folded and (on PostgreSQL) as tsqueries, in one round trip."""
    if connection.vendor != "postgresql":
        return [Word(w, fold(w), "") for w in query.words]
    parts, params = [], []
    for w in query.words:
        q = tsquery_word(w)
        each = ", ".join(f"to_tsquery('{cfg}', %s)::text" for cfg in ALL_CONFIGS)
        parts.append(f"lower(unaccent(%s)), ARRAY[{each}]")
        params += [w, *([q] * len(ALL_CONFIGS))]
    with connection.cursor() as cur:
        cur.execute("SELECT " + ", ".join(parts), params)
        row = cur.fetchone()
    assert row is not None
    return [Word(w, row[2 * i], fewest_prefixes(row[2 * i + 1])) for i, w in enumerate(query.words)]


# --------------------------------------------------------------------------- PostgreSQL


def _pg_every_word(
    words: list[Word], vectors: Callable[[int], tuple[str, ...]], fragments: str | None
) -> tuple[str, list[Any]]:
    """Each word (the i-th) as a fragment of the text `fragments`, or in one of `vectors(i)`.
    The fragment first: a row a trigram bitmap brought is rechecked against the whole
    condition, and for a name LIKE answers before the six vectors are concatenated
    (≈ 3.4 µs a row: a third of a bitmap read's time on the rows; docs/benchmarks.md)."""
    clauses, params = [], []
    for i, w in enumerate(words):
        arms = []
        if fragments and len(w.folded) >= 3:  # shorter ones have no trigram to look up
            arms.append(f"{fragments} LIKE %s")
            params.append(w.pattern)
        if w.tsquery:
            arms += [f"{v} @@ %s::tsquery" for v in vectors(i)]
            params += [w.tsquery] * len(vectors(i))
        clauses.append("(" + (" OR ".join(arms) or "false") + ")")
    return " AND ".join(clauses), params


def _pg_documents_vector(org: int) -> str:
    return (
        f"CASE WHEN {T}.owner_id = {int(org)} OR {T}.v_follower_documents IS NULL "
        f"THEN {VECTORS['documents']} ELSE {T}.v_follower_documents END"
    )


def pg_match(
    words: list[Word], category: str, org: int, *, indexed: Collection[int] = ()
) -> tuple[str, list[Any]]:
    """WHERE clause over the search document: every word matches what `org` reads. The
    words numbered in `indexed` as the word index is written (a bitmap of it finds them),
    the others vector by vector (the same rows, ≈ 2.5 times cheaper per document)."""

    def owner(i: int) -> tuple[str, ...]:
        return (OWNER_VECTOR,) if i in indexed else OWNER_VECTORS

    sql, params = _pg_every_word(words, owner, f"{T}.key")
    follower, fparams = _pg_every_word(words, lambda i: FOLLOWER_VECTORS, f"{T}.key")
    sql += f" AND ({T}.owner_id = {int(org)} OR {T}.v_follower_documents IS NULL OR ({follower}))"
    params += fparams
    if category:
        vector = _pg_documents_vector(org) if category == "documents" else VECTORS[category]
        fragments = {"number": f"{T}.number", "contact": f"{T}.key"}.get(category)
        csql, cparams = _pg_every_word(words, lambda i: (vector,), fragments)
        sql += f" AND ({csql})"
        params += cparams
    return sql, params


def pg_each_word(words: list[Word]) -> list[tuple[str, list[Any]]]:
    """Per word: does it match the document (its owner's view): how common each word is."""
    return [_pg_every_word([w], lambda i: OWNER_VECTORS, f"{T}.key") for w in words]


def pg_rank(ids: list[int], words: list[Word], org: int) -> dict[int, tuple[float, set[str]]]:
    """Score (ts_rank_cd of the whole query, plus trigram similarity to the key) and the
    categories some word matched in, per enquiry."""
    tsqueries = [w.tsquery for w in words if w.tsquery]
    every = " && ".join(["%s::tsquery"] * len(tsqueries)) or "''::tsquery"
    any_word = " || ".join(["%s::tsquery"] * len(tsqueries)) or "''::tsquery"
    view = (
        f"CASE WHEN {T}.owner_id = %s OR {T}.v_follower_documents IS NULL "
        f"THEN {OWNER_VECTOR} ELSE {FOLLOWER_VECTOR} END"
    )
    docs = _pg_documents_vector(org)
    matched = ", ".join(
        f"coalesce({docs if c == 'documents' else VECTORS[c]} @@ ({any_word}), false)"
        for c in CATEGORIES
    )
    sql = (
        f"SELECT {T}.enquiry_id, ts_rank_cd({view}, {every}) "
        f"+ 0.5 * word_similarity(%s, {T}.key), {matched} "
        f"FROM {T} WHERE {T}.enquiry_id = ANY(%s)"
    )
    params: list[Any] = [org, *tsqueries, " ".join(w.folded for w in words)]
    params += [*tsqueries] * len(CATEGORIES)
    params.append(ids)
    out: dict[int, tuple[float, set[str]]] = {}
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for row in cur.fetchall():
            cats = {c for c, hit in zip(CATEGORIES, row[2:], strict=True) if hit}
            out[row[0]] = (float(row[1]), cats)
    return out


# --------------------------------------------------------------------------- SQLite


def prepare_sqlite_functions() -> None:
    connection.ensure_connection()
    raw = connection.connection
    raw.create_function("leadhub_fold", 1, _null_safe(fold), deterministic=True)
    raw.create_function("leadhub_fold_words", 1, _null_safe(fold_words), deterministic=True)


def _null_safe(f: Any) -> Any:
    return lambda text: None if text is None else f(text)


def _sqlite_text(category: str, org: int) -> str:
    if category == "documents":
        return f"(CASE WHEN {T}.owner_id = {int(org)} THEN {T}.documents ELSE {T}.follower_documents END)"
    return f"{T}.{category}"


def _sqlite_every_word(
    words: list[Word], text: str, fragments: str | None
) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for w in words:
        arm = f"(' ' || leadhub_fold_words({text})) LIKE %s ESCAPE '\\'"
        params.append("% " + like_pattern(w.folded)[1:])  # at the start of a word
        if fragments and len(w.folded) >= 3:
            arm += f" OR {fragments} LIKE %s ESCAPE '\\'"
            params.append(w.pattern)
        clauses.append(f"({arm})")
    return " AND ".join(clauses), params


def sqlite_match(words: list[Word], category: str, org: int) -> tuple[str, list[Any]]:
    prepare_sqlite_functions()
    if category:
        fragments = {"number": f"{T}.number", "contact": f"{T}.key"}.get(category)
        return _sqlite_every_word(words, _sqlite_text(category, org), fragments)
    text = " || ' ' || ".join(_sqlite_text(c, org) for c in CATEGORIES)
    return _sqlite_every_word(words, f"({text})", f"{T}.key")
