"""Search (E2) through the API: GET /api/v1/search?q=...&in=...&type=...&from=...&to=..."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from leadhub.enquiries.models import EnquiryType
from leadhub.enquiries.preview import preview_of
from leadhub.search.queries import Hit, search
from leadhub.search.text import QueryRefused, read_query

from .auth import current_user, user_auth
from .schemas import ErrorOut

router = Router(tags=["search"], auth=user_auth)

Category = Literal["number", "contact", "site", "responsible", "notes", "documents"]


class SearchQuery(Schema):
    q: str = Field(description="the words to find; at least one of 3 characters")
    in_: Category | None = Field(None, alias="in", description="search only in this")
    type: EnquiryType | None = None
    from_: dt.date | None = Field(None, alias="from", description="received on or after")
    to: dt.date | None = Field(None, description="received on or before")
    page: int = Field(1, ge=1, le=25)


class SnippetOut(Schema):
    text: str
    marks: list[tuple[int, int]]  # (start, end) of each match in `text`


class SearchHitOut(Schema):
    number: str
    url: str
    access: str  # owner, origin (read-only) or preview (an offer: no personal data)
    type: str
    status: str
    created_at: dt.datetime
    exact: bool  # the query is this enquiry's number
    matched_in: str
    contact: str | None  # None in a preview
    city: str
    snippet: SnippetOut | None  # None in a preview


class SearchPageOut(Schema):
    items: list[SearchHitOut]
    found: int
    more: bool  # more matched than were ranked: narrow the search
    page: int
    pages: int


def _hit(hit: Hit) -> dict[str, object]:
    e = hit.enquiry
    preview = hit.snippet is None
    return {
        "number": e.number,
        "url": f"/enquiries/{e.url_number}/",
        "access": hit.access.value,
        "type": e.type,
        "status": e.status,
        "created_at": e.created_at,
        "exact": hit.exact,
        "matched_in": hit.matched_in,
        "contact": None if preview else str(e.contact),
        "city": preview_of(e).city if preview else e.site_or_contact_place()[1],
        "snippet": None
        if hit.snippet is None
        else {"text": hit.snippet.text, "marks": list(hit.snippet.marks)},
    }


@router.get("", response={200: SearchPageOut, 400: ErrorOut}, summary="Search enquiries")
def search_enquiries(request: HttpRequest, query: Query[SearchQuery]) -> dict[str, object]:
    """Enquiries you may see whose number, contact data, site address, notes, document names
    or responsible person hold every word, best first (the exact number first). Offers
    waiting for you are found by their number only. At most 500 matches are ranked, the
    newest: `more` says there were more."""
    user = current_user(request)
    try:
        q = read_query(
            query.q,
            category=query.in_ or "",
            type=query.type or "",
            created_from=query.from_,
            created_to=query.to,
        )
    except QueryRefused as exc:
        raise HttpError(400, str(exc)) from exc
    results = search(user, q, page=query.page)
    return {
        "items": [_hit(h) for h in results.hits],
        "found": results.found,
        "more": results.more,
        "page": results.page,
        "pages": results.pages,
    }
