"""The rows of an export: exactly the list's, read in batches (decision 0042).

The same functions as the list build the query (`visible_enquiries`, `apply_filters`,
`offers_waiting`) and order it (`pagination.ordered`, the order every page of the list
continues), so an export holds the rows the user sees on screen, in the same order, all
pages of them. The rows are read as one query through a server-side cursor, `size` at a
time (`iterator(chunk_size)`): following the list's keyset cursors page by page cost three
key queries, a merge and an `IN` list per batch, and twice the reading time.
What a row needs from other tables is read once per batch, never per row: e-mails, phones,
tags, the pending offer; the few organisations, channels, users and units the rows name
are kept for the whole export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import ForeignKey, Model

from leadhub.contacts.models import ContactEmail, ContactPhone
from leadhub.enquiries.listing import ListFilters, apply_filters
from leadhub.enquiries.models import Enquiry, Tag
from leadhub.enquiries.pagination import SORTS, ordered
from leadhub.enquiries.queries import (
    Access,
    access_of,
    offers_waiting,
    visible_enquiries,
    with_pending_offer,
)
from leadhub.intake.models import Channel
from leadhub.orgs.models import Organisation, OrgUnit, User

from .columns import Related

RELATED = ("contact", "channel", "owner", "assigned_user", "assigned_unit", "appointment_unit")
# The columns rows are built from (columns.py, access_of, preview_of): a row reads a
# fifth of the enquiry's fields, and loading the rest cost a fifth of the reading time.
ROW_FIELDS = (
    *("number", "created_at", "updated_at", "type", "status", "due_at", "text", "project_name"),
    *("owner", "origin_brand", "shared_with", "channel", "assigned_user", "assigned_unit"),
    *("appointment_at", "appointment_place", "appointment_unit", "close_reason"),
    *("quote_number", "quote_amount", "order_number", "order_amount"),
    *("site_street", "site_postal_code", "site_city", "site_province", "site_country"),
    *(
        f"contact__{name}"
        for name in (
            *("title", "first_name", "last_name", "company", "email", "phone"),
            *("street", "postal_code", "city", "province", "country"),
        )
    ),
)
# Foreign keys with few distinct values: looked up once per export, not joined per row.
SHARED: tuple[tuple[str, type[Model]], ...] = (
    ("owner", Organisation),
    ("channel", Channel),
    ("assigned_user", User),
    ("assigned_unit", OrgUnit),
    ("appointment_unit", OrgUnit),
)


@dataclass(frozen=True)
class Spec:
    """What to export: the list's filters and sort; `offers_first` as the page shows
    them (a partner's pending offers on top, whatever the filters), off for the API,
    whose list has no such block."""

    filters: ListFilters = field(default_factory=ListFilters)
    sort: str = "due"
    offers_first: bool = True

    def as_json(self) -> dict[str, Any]:
        return {
            "filters": asdict(self.filters),
            "sort": self.sort,
            "offers_first": self.offers_first,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Spec:
        return cls(
            filters=ListFilters(**data.get("filters", {})),
            sort=data.get("sort", "due") if data.get("sort") in SORTS else "due",
            offers_first=bool(data.get("offers_first", True)),
        )


@dataclass(frozen=True)
class Item:
    enquiry: Enquiry
    access: Access
    related: Related


class Source:
    """One user's export of `spec`, as of `now` (the due-date filters' instant)."""

    def __init__(self, user: User, spec: Spec, now: datetime) -> None:
        self.user, self.spec = user, spec
        visible = visible_enquiries(user)
        self.offers = (
            with_pending_offer(offers_waiting(user, visible).select_related(*RELATED)).order_by(
                "due_at", "id"
            )
            if spec.offers_first
            else visible.none()
        )
        self._offer_ids = list(self.offers.values_list("pk", flat=True))
        rest = visible.exclude(pk__in=self._offer_ids) if self._offer_ids else visible
        self.rows = with_pending_offer(apply_filters(rest, spec.filters, user, now))
        self._shared: dict[type[Model], dict[int, Model]] = defaultdict(dict)

    def count(self, limit: int | None = None) -> int:
        """How many rows; with `limit`, at most limit + 1 (enough to decide sync or task)."""
        rows = self.rows if limit is None else self.rows[: limit + 1]
        return len(self._offer_ids) + rows.count()

    def batches(self, size: int) -> Iterator[list[Item]]:
        if self._offer_ids:
            for start in range(0, len(self._offer_ids), size):
                chunk = self._offer_ids[start : start + size]
                found = {e.pk: e for e in self.offers.filter(pk__in=chunk)}
                yield self._items([found[pk] for pk in chunk if pk in found])
        rows = ordered(self.rows.select_related("contact").only(*ROW_FIELDS), self.spec.sort)
        batch: list[Enquiry] = []
        for e in rows.iterator(chunk_size=size):
            batch.append(e)
            if len(batch) == size:
                yield self._items(self._attach(batch))
                batch = []
        if batch:
            yield self._items(self._attach(batch))

    def _attach(self, enquiries: list[Enquiry]) -> list[Enquiry]:
        """Set the SHARED foreign keys from the export's own lookup (new ids read once)."""
        for name, model in SHARED:
            f = Enquiry._meta.get_field(name)
            assert isinstance(f, ForeignKey)
            known = self._shared[model]
            ids = {getattr(e, f.attname) for e in enquiries} - known.keys() - {None}
            if ids:
                known.update(model._default_manager.in_bulk(list(ids)))
            for e in enquiries:
                pk = getattr(e, f.attname)
                if pk is not None:
                    f.set_cached_value(e, known[pk])
        return enquiries

    def _items(self, enquiries: Sequence[Enquiry]) -> list[Item]:
        user = self.user
        access = {e.pk: access_of(user, e) for e in enquiries}
        readable = [e for e in enquiries if access[e.pk] is not Access.PREVIEW]
        contacts = {e.contact_id for e in readable}
        emails = _by_contact(
            ContactEmail.objects.filter(contact_id__in=contacts).values_list("contact_id", "email")
        )
        phones = _by_contact(
            ContactPhone.objects.filter(contact_id__in=contacts).values_list("contact_id", "phone")
        )
        tags: dict[int, list[str]] = defaultdict(list)
        links = Tag.enquiries.through.objects.filter(enquiry_id__in=[e.pk for e in readable])
        # Only the user's organisation's tags: another's are private (enquiries/tags.py).
        links = links.filter(tag__organisation=user.organisation)
        for enquiry_id, name in links.values_list("enquiry_id", "tag__name"):
            tags[enquiry_id].append(name)
        items = []
        for e in enquiries:
            if access[e.pk] is Access.PREVIEW:
                items.append(Item(e, Access.PREVIEW, Related()))
                continue
            c = e.contact
            # A contact written without its rows has only the columns (contacts.queries).
            related = Related(
                emails=emails.get(c.pk) or ([c.email] if c.email else []),
                phones=phones.get(c.pk) or ([c.phone] if c.phone else []),
                tags=sorted(tags.get(e.pk, [])),
            )
            items.append(Item(e, access[e.pk], related))
        return items


def _by_contact(rows: Any) -> dict[int, list[str]]:
    """Rows ordered by position (the models' ordering), the primary one first."""
    out: dict[int, list[str]] = defaultdict(list)
    for contact_id, value in rows:
        out[contact_id].append(value)
    return out
