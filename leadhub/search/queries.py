"""Search (E2): the enquiries a user may see whose text matches a query, best first.

Access stays where queries.py of enquiries puts it: every hit is in
`visible_enquiries(user)`. Within that, the owner and the following brand match on what
they may read (matching.py); a partner with a pending offer, which shows no personal data
until accepted (B4), finds the offer by its number only (decision 0049).

Only the newest CANDIDATES matches are ranked (decision 0050): ranking a hundred thousand
rows that all contain "Rossi" costs seconds and helps nobody; the page says there are more
and asks for another word, a category or a date range.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from leadhub.enquiries.models import Enquiry, EnquiryType, Status
from leadhub.enquiries.queries import Access, access_of, visible_enquiries
from leadhub.lib.sql import bitmap_scans_only, custom_plans
from leadhub.orgs.access import levels_by_category
from leadhub.orgs.models import RightLevel, User

from . import matching
from .models import SearchDocument
from .text import CATEGORIES, Query, Snippet, find_words, snippet

CANDIDATES = 500
FEW = 5000  # matches gathered through the word indexes before walking newest first
PER_PAGE = 20


@dataclass(frozen=True)
class Hit:
    enquiry: Enquiry
    access: Access
    exact: bool  # the query is this enquiry's number
    matched_in: str  # a category of text.CATEGORIES
    snippet: Snippet | None  # None for an offer's preview: it shows no personal data


@dataclass(frozen=True)
class Results:
    query: Query
    hits: list[Hit]  # this page
    found: int  # matches ranked, at most CANDIDATES
    more: bool  # more matched than were ranked
    page: int
    pages: int


def search(user: User, query: Query, *, page: int = 1, per_page: int = PER_PAGE) -> Results:
    # lib/sql.py: a generic plan cannot see which words are rare, nor whose rows they are.
    with custom_plans():
        return _search(user, query, page=page, per_page=per_page)


def _search(user: User, query: Query, *, page: int, per_page: int) -> Results:
    org = user.organisation_id
    if org is None:
        return Results(query, [], 0, False, 1, 1)
    words = matching.prepared(query)
    base = _narrowed(visible_enquiries(user), query, user)
    if connection.vendor == "postgresql":
        indexed = RawSQL(*matching.pg_match(words, query.category, org), BooleanField())
        walked = RawSQL(
            *matching.pg_match(words, query.category, org, walking=True), BooleanField()
        )
    else:
        indexed = walked = RawSQL(
            *matching.sqlite_match(words, query.category, org), BooleanField()
        )
    readable, pk, created = _readable(base, query, user)
    found, more = _newest(readable.filter(indexed), readable.filter(walked), pk, created)
    previews = _offers_by_number(base, query, org)
    ranked = _ranked(found, previews, words, query, org)
    pages = max(1, -(-len(ranked) // per_page))
    page = min(max(page, 1), pages)
    chosen = ranked[(page - 1) * per_page : page * per_page]
    return Results(query, _hits(chosen, user, query), len(ranked), more, page, pages)


def _readable(base: QuerySet[Enquiry], query: Query, user: User) -> tuple[Any, str, str]:
    """What `user` reads in full, to match the words in (a lazy query), with the names of
    its id and creation time in it."""
    org = user.organisation_id
    readable = Q(owner_id=org) | Q(follower_id=org)
    levels = levels_by_category(user, EnquiryType.values).values()
    if not query.type and all(level is RightLevel.ALL for level in levels):
        # Whoever sees every category reads exactly the documents it owns or follows:
        # the search need not join the enquiries to check rights (decision 0050).
        docs = SearchDocument.objects.filter(readable, **_dates(query, user))
        return docs, "enquiry_id", "created_at"
    joined = base.filter(Q(search_document__owner_id=org) | Q(search_document__follower_id=org))
    return joined, "pk", "search_document__created_at"


def _newest(rows: Any, walk: Any, pk: str, created: str) -> tuple[list[int], bool]:
    """The newest CANDIDATES of `rows`' ids, and whether more matched (`walk`: the same
    rows, matched document by document).

    PostgreSQL first gathers up to FEW matches through the word indexes alone: when that
    is all of them, they are sorted here. Otherwise the words are common, and walking the
    documents newest first finds the newest soon. Left to itself it walked newest first
    for rare words too, reading every document (two rare names: 4 s at a million)."""
    if connection.vendor == "postgresql":
        with bitmap_scans_only():
            few = list(rows.order_by().values_list(pk, created)[: FEW + 1])
        if len(few) <= FEW:
            few.sort(key=lambda r: (r[1], r[0]), reverse=True)
            return [r[0] for r in few[:CANDIDATES]], len(few) > CANDIDATES
    found = list(
        walk.order_by(f"-{created}", f"-{pk}").values_list(pk, flat=True)[: CANDIDATES + 1]
    )
    return found[:CANDIDATES], len(found) > CANDIDATES


def _dates(query: Query, user: User) -> dict[str, dt.datetime]:
    """created_at bounds of the query's date range, days in the user's organisation's zone."""
    tz = ZoneInfo(user.organisation.timezone if user.organisation else "UTC")
    out = {}
    if query.created_from:
        out["created_at__gte"] = dt.datetime.combine(query.created_from, dt.time(), tz)
    if query.created_to:
        end = query.created_to + dt.timedelta(days=1)
        out["created_at__lt"] = dt.datetime.combine(end, dt.time(), tz)
    return out


def _narrowed(qs: QuerySet[Enquiry], query: Query, user: User) -> QuerySet[Enquiry]:
    if query.type:
        qs = qs.filter(type=query.type)
    return qs.filter(**_dates(query, user))


def _offers_by_number(base: QuerySet[Enquiry], query: Query, org: int) -> list[int]:
    """Pending offers to `org` whose number holds every word (a preview shows the number)."""
    if query.category not in ("", "number"):
        return []
    offers = (
        base.filter(status=Status.OFFERED)
        .exclude(owner_id=org)
        .exclude(origin_brand_id=org)
        .exclude(shared_with_id=org)
    )
    for word in query.words:
        offers = offers.filter(number__contains=word)
    return list(offers.order_by("-created_at", "-pk").values_list("pk", flat=True)[:CANDIDATES])


def _ranked(
    found: list[int], previews: list[int], words: list[matching.Word], query: Query, org: int
) -> list[tuple[int, bool, str]]:
    """(enquiry id, exact number, category matched) in the order shown: the enquiry whose
    number the query is first, then by score, the newest first among equals."""
    exact_pk = (
        Enquiry.objects.filter(pk__in=[*found, *previews], number=query.number)
        .values_list("pk", flat=True)
        .first()
        if query.number
        else None
    )
    newest = {pk: i for i, pk in enumerate(found)}
    if connection.vendor == "postgresql":
        scored = matching.pg_rank(found, words, org) if found else {}
    else:
        scored = _sqlite_scores(found, words, org)
    rows = []
    for pk in found:
        score, cats = scored.get(pk, (0.0, set()))
        category = next((c for c in CATEGORIES if c in cats), "contact")
        exact = pk == exact_pk
        rows.append((not exact, -score, newest[pk], pk, exact, category))
    for i, pk in enumerate(previews):
        exact = pk == exact_pk
        rows.append((not exact, 0.0, len(found) + i, pk, exact, "number"))
    rows.sort()
    return [(pk, exact, category) for *_order, pk, exact, category in rows]


def _sqlite_scores(
    found: list[int], words: list[matching.Word], org: int
) -> dict[int, tuple[float, set[str]]]:
    """A simple score: per word, the weight of the best category it starts a word in."""
    typed = tuple(w.folded for w in words)
    out = {}
    for doc in SearchDocument.objects.filter(pk__in=found):
        follower = doc.owner_id != org
        score, cats = 0.0, set()
        for word in typed:
            best = 0.0
            for c in CATEGORIES:
                if find_words(doc.text_of(c, follower=follower), (word,)):
                    cats.add(c)
                    best = max(best, matching.WEIGHTS[c])
            score += best
        out[doc.pk] = (score, cats)
    return out


def _hits(chosen: list[tuple[int, bool, str]], user: User, query: Query) -> list[Hit]:
    ids = [pk for pk, _e, _c in chosen]
    enquiries = Enquiry.objects.select_related(
        "contact", "owner", "assigned_user", "assigned_unit", "channel"
    ).in_bulk(ids)
    documents = SearchDocument.objects.in_bulk(ids)
    hits = []
    for pk, exact, category in chosen:
        enquiry = enquiries[pk]
        access = access_of(user, enquiry)
        doc = documents.get(pk)
        shown = None
        if access is not Access.PREVIEW and doc is not None:
            follower = access is Access.ORIGIN
            category = _where(doc, query, category, follower=follower)
            shown = snippet(
                doc.text_of(category, follower=follower),
                query.words,
                anywhere=category in matching.KEY_CATEGORIES,
            )
        hits.append(Hit(enquiry, access, exact, category, shown))
    return hits


def _where(doc: SearchDocument, query: Query, category: str, *, follower: bool) -> str:
    """The category searched in, else the first one a word can be seen in, else the one
    the database said (a stemmed word: "windows" matched "window")."""
    if query.category:
        return query.category
    for c in CATEGORIES:
        text = doc.text_of(c, follower=follower)
        if find_words(text, query.words, anywhere=c in matching.KEY_CATEGORIES):
            return c
    return category
