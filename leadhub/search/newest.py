"""The newest matches of a search on PostgreSQL: which documents get ranked (decisions 0050,
0055, 0057).

Ranked are the newest CANDIDATES matches among what the reader reads. Two ways find them,
and which is cheaper depends on how common the words are among the reader's documents:

- walking its documents newest first (the owner's and the follower's index merged), each
  matched vector by vector, stops after CANDIDATES matches: a few milliseconds for a word
  in most documents, but each document walked is a row read (≈ 4 µs at a million rows,
  they lie anywhere in the table), so a word in one document in a hundred costs 200 ms;
- a bitmap of the word indexes, ANDed with the reader's index over a stretch of creation
  times, reads only the matches in that stretch, but pays for each word's whole posting
  list (≈ 0.3 µs an entry: 300 ms for a word in every document).

So a search first walks the newest PROBE documents (≈ 4 ms), which says how common the
words are here, each and together, with every filter. If they hold WALK_SHARE or more of
them, the walk goes on. Otherwise bitmaps gather the matches of a stretch of older
documents sized to hold the missing ones twice over (but not so long that the words
looked up bring more than FEW / 2 rows: rights are checked on them afterwards),
another stretch if it fell short, or all the rest when that is shorter. Only the words in
at most INDEXED_SHARE of the probe are looked up in the word index; the others are
checked on the rows the bitmap brings. A type asked for is on the document and last in
the indexes by reader (decision 0058): the probe and the walks check it on index entries,
the bitmaps take a stretch of that type's documents. Every way returns the same rows: the
newest CANDIDATES + 1 matches (one more says there are more), by creation, then id.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from leadhub.enquiries.models import Enquiry
from leadhub.lib.sql import bitmap_scans_only, index_walks_only

from .matching import T

CANDIDATES = 500
PROBE = 1000  # documents walked first, to see how common the words are
WALK_SHARE = 0.1  # walk on when this share of the probe matched: ≤ 5,000 more to read
INDEXED_SHARE = 0.05  # words in more of the probe are checked on the rows, not looked up
FEW = 5000  # rows one bitmap read may bring (it aims at half)
ROUNDS = 6  # bitmap reads at most, then the walk goes on

Sql = tuple[str, list[Any]]
Match = tuple[dt.datetime, int]  # created_at, enquiry id: the order, newest first


@dataclass(frozen=True)
class Reader:
    """Whose documents a search reads: those `org` owns or follows, created within
    `dates`, of `type` if one is asked for (on the document: decision 0058), and, when
    rights narrow them, of `enquiries` only."""

    org: int
    created_from: dt.datetime | None = None
    created_before: dt.datetime | None = None
    type: str = ""
    enquiries: QuerySet[Enquiry] | None = None

    def arms(self) -> list[Sql]:
        """WHERE of the owner's and the follower's documents, each along its index."""
        within, params = self._within()
        org = self.org
        return [
            (f"{T}.owner_id = %s{within}", [org, *params]),
            (f"{T}.follower_id = %s AND {T}.owner_id <> %s{within}", [org, org, *params]),
        ]

    def all(self) -> Sql:
        within, params = self._within()
        return f"({T}.owner_id = %s OR {T}.follower_id = %s){within}", [self.org, self.org, *params]

    def _within(self) -> Sql:
        """AND the dates and the type, which the document carries."""
        sql, params = "", list[Any]()
        if self.created_from:
            sql += f" AND {T}.created_at >= %s"
            params.append(self.created_from)
        if self.created_before:
            sql += f" AND {T}.created_at < %s"
            params.append(self.created_before)
        if self.type:
            sql += f" AND {T}.type = %s"
            params.append(self.type)
        return sql, params

    def narrowed(self) -> Sql:
        """AND the enquiries' condition, for a walk ('' when there is none)."""
        if self.enquiries is None:
            return "", []
        sql, params = self.enquiries.values("pk").query.sql_with_params()
        return f" AND {T}.enquiry_id IN ({sql})", list(params)

    def kept(self, matches: list[Match]) -> list[Match]:
        """`matches` of the enquiries, in their order (after a probe or a bitmap read)."""
        if self.enquiries is None or not matches:
            return matches
        pks = [pk for _c, pk in matches]
        ids = set(
            self.enquiries.filter(
                RawSQL("enquiries_enquiry.id = ANY(%s)", [pks], BooleanField())
            ).values_list("pk", flat=True)
        )
        return [m for m in matches if m[1] in ids]


def newest_matches(
    reader: Reader, match: Callable[[Collection[int]], Sql], each: list[Sql]
) -> tuple[list[int], bool]:
    """Ids of the newest CANDIDATES documents matching, and whether more matched.
    `match(indexed)`: the condition, with the words numbered in `indexed` as the word
    index is written; `each`: per word, does it match (to see how common each is)."""
    need = CANDIDATES + 1
    walked = match(())
    with index_walks_only():
        probed = _probe(reader, walked, each)
    found = reader.kept([(row[1], row[0]) for row in probed if row[2]])
    if len(probed) < PROBE or len(found) >= need:
        return _done(found)
    seen: float = len(probed)  # documents looked through: the reader's newest, down to `after`
    after: Match = (probed[-1][1], probed[-1][0])
    per_doc = max((probed[0][1] - after[0]).total_seconds() / (seen - 1), 1e-6)  # apart
    rest = (after[0] - _oldest(reader)).total_seconds() / per_doc  # documents not seen
    # Bitmaps of the rarer words (a word in most documents costs more to look up than
    # to check), and what share of the documents they bring.
    shares = [max(sum(1 for row in probed if row[3 + i]), 0.5) / seen for i in range(len(each))]
    indexed = [i for i, s in enumerate(shares) if s <= INDEXED_SHARE] or [shares.index(min(shares))]
    brought = math.prod(shares[i] for i in indexed)
    for _round in range(ROUNDS):
        share = len(found) / seen
        if share >= WALK_SHARE:
            break
        # Enough documents for the missing matches twice over, but no more than a bitmap
        # read should bring (rights are checked after it), else all the rest.
        docs = 2 * (need - len(found)) / share if share else math.inf
        docs = min(docs, FEW / 2 / brought)
        since = after[0] - dt.timedelta(seconds=docs * per_doc) if docs < rest else None
        with bitmap_scans_only():
            batch = _gather(reader, match(indexed), after, since)
        if len(batch) > FEW:  # denser than it looked: a shorter stretch
            brought = max(brought, 2 * FEW / min(docs, rest))
            continue
        found += reader.kept(sorted(batch, reverse=True))
        if len(found) >= need or since is None:
            return _done(found)
        seen, rest = seen + docs, rest - docs
        after = (since, 0)  # everything created since has been looked through
    with index_walks_only():
        found += _walk(reader, walked, after, need - len(found))
    return _done(found)


def _done(found: list[Match]) -> tuple[list[int], bool]:
    return [pk for _c, pk in found[:CANDIDATES]], len(found) > CANDIDATES


def _merged(reader: Reader, columns: Sql, where: Sql | None, limit: int) -> tuple[list[Any], ...]:
    """`columns` of the reader's documents satisfying `where` (None: all), newest first, at
    most `limit`: the owner's and the follower's walked along their indexes and merged."""
    condition = f" AND {where[0]}" if where else ""
    arms, params = [], []
    for arm, arm_params in reader.arms():
        arms.append(
            f"(SELECT {columns[0]} FROM {T} WHERE {arm}{condition} "
            f"ORDER BY {T}.created_at DESC, {T}.enquiry_id DESC LIMIT %s)"
        )
        params += [*columns[1], *arm_params, *(where[1] if where else ()), limit]
    sql = (
        f"SELECT * FROM ({' UNION ALL '.join(arms)}) d "
        "ORDER BY created_at DESC, enquiry_id DESC LIMIT %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [*params, limit])
        return tuple(cur.fetchall())


def _probe(reader: Reader, walked: Sql, each: list[Sql]) -> tuple[list[Any], ...]:
    """(id, created_at, matched, each word matched...) of the reader's newest PROBE
    documents."""
    words = "".join(f", ({sql}) AS w{i}" for i, (sql, _p) in enumerate(each))
    columns = f"{T}.enquiry_id, {T}.created_at, ({walked[0]}) AS hit{words}"
    cparams = [*walked[1], *(p for _sql, params in each for p in params)]
    return _merged(reader, (columns, cparams), None, PROBE)


def _walk(reader: Reader, walked: Sql, after: Match, limit: int) -> list[Match]:
    """The next `limit` matches older than `after`, walking."""
    narrowed, nparams = reader.narrowed()
    where = (
        f"{T}.created_at <= %s AND ({T}.created_at, {T}.enquiry_id) < (%s, %s) "
        f"AND ({walked[0]}){narrowed}",
        [after[0], after[0], after[1], *walked[1], *nparams],
    )
    rows = _merged(reader, (f"{T}.enquiry_id, {T}.created_at", []), where, limit)
    return [(c, pk) for pk, c in rows]


def _gather(reader: Reader, indexed: Sql, after: Match, since: dt.datetime | None) -> list[Match]:
    """Up to FEW + 1 matches older than `after` and created `since`, through bitmaps."""
    where, params = reader.all()
    where += f" AND {T}.created_at <= %s AND ({T}.created_at, {T}.enquiry_id) < (%s, %s)"
    params += [after[0], after[0], after[1]]
    if since is not None:
        where += f" AND {T}.created_at >= %s"
        params.append(since)
    sql = (
        f"SELECT {T}.enquiry_id, {T}.created_at FROM {T} WHERE {where} AND ({indexed[0]}) LIMIT %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [*params, *indexed[1], FEW + 1])
        return [(c, pk) for pk, c in cur.fetchall()]


def _oldest(reader: Reader) -> dt.datetime:
    """When the reader's oldest document was created (it has one: the probe found it)."""
    parts, params = [], []
    for arm, arm_params in reader.arms():
        parts.append(f"(SELECT min({T}.created_at) FROM {T} WHERE {arm})")
        params += arm_params
    with connection.cursor() as cur:
        cur.execute(f"SELECT least({', '.join(parts)})", params)
        row = cur.fetchone()
    assert row is not None and row[0] is not None
    return row[0]  # type: ignore[no-any-return]
