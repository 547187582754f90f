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
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from leadhub.enquiries.models import Enquiry, EnquiryType, Status
from leadhub.enquiries.queries import Access, access_of, visible_enquiries
from leadhub.lib.sql import index_reads
from leadhub.orgs.access import levels_by_category
from leadhub.orgs.models import RightLevel, User

from . import matching, newest
from .models import SearchDocument
from .newest import Reader
from .text import CATEGORIES, Query, Snippet, find_words, snippet

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
    with index_reads():
        return _search(user, query, page=page, per_page=per_page)


def _search(user: User, query: Query, *, page: int, per_page: int) -> Results:
    org = user.organisation_id
    if org is None:
        return Results(query, [], 0, False, 1, 1)
    words = matching.prepared(query)
    reader = _reader(user, query, org)
    if connection.vendor == "postgresql":
        found, more = newest.newest_matches(
            reader,
            lambda indexed: matching.pg_match(words, query.category, org, indexed=indexed),
            matching.pg_each_word(words),
        )
    else:
        found, more = _sqlite_newest(reader, matching.sqlite_match(words, query.category, org))
    previews = _offers_by_number(user, query, org)
    ranked = _ranked(found, previews, words, query, org)
    pages = max(1, -(-len(ranked) // per_page))
    page = min(max(page, 1), pages)
    chosen = ranked[(page - 1) * per_page : page * per_page]
    return Results(query, _hits(chosen, user, query), len(ranked), more, page, pages)


def _reader(user: User, query: Query, org: int) -> Reader:
    """The documents `user` reads in full, to match the words in: those its organisation
    owns or follows, of the type asked for, and, unless it sees every category, only of
    the enquiries it may see (decision 0050)."""
    dates = _dates(query, user)
    levels = levels_by_category(user, EnquiryType.values).values()
    enquiries = None
    if not all(level is RightLevel.ALL for level in levels):
        enquiries = visible_enquiries(user)
    return Reader(
        org, dates.get("created_at__gte"), dates.get("created_at__lt"), query.type, enquiries
    )


def _sqlite_newest(reader: Reader, match: tuple[str, list[Any]]) -> tuple[list[int], bool]:
    """SQLite (small data): the documents walked newest first."""
    docs = SearchDocument.objects.filter(Q(owner_id=reader.org) | Q(follower_id=reader.org))
    if reader.created_from:
        docs = docs.filter(created_at__gte=reader.created_from)
    if reader.created_before:
        docs = docs.filter(created_at__lt=reader.created_before)
    if reader.type:
        docs = docs.filter(type=reader.type)
    if reader.enquiries is not None:
        docs = docs.filter(enquiry__in=reader.enquiries)
    found = list(
        docs.filter(RawSQL(*match, BooleanField()))
        .order_by("-created_at", "-enquiry_id")
        .values_list("enquiry_id", flat=True)[: newest.CANDIDATES + 1]
    )
    return found[: newest.CANDIDATES], len(found) > newest.CANDIDATES


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


def _offers_by_number(user: User, query: Query, org: int) -> list[int]:
    """Pending offers to `org` whose number holds every word (a preview shows the number).
    Only partners get offers (enquiries.queries.offers_waiting)."""
    if query.category not in ("", "number") or user.organisation is None:
        return []
    if user.organisation.is_brand:
        return []
    offers = (
        visible_enquiries(user)
        .filter(status=Status.OFFERED, **_dates(query, user))
        .exclude(owner_id=org)
        .exclude(origin_brand_id=org)
        .exclude(shared_with_id=org)
    )
    if query.type:
        offers = offers.filter(type=query.type)
    for word in query.words:
        offers = offers.filter(number__contains=word)
    return list(
        offers.order_by("-created_at", "-pk").values_list("pk", flat=True)[: newest.CANDIDATES]
    )


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
