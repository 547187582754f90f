"""Writing quotes: an ERP import (file or API) and "make main" by hand. Each is one
transaction; the enquiry's own quote/order fields mirror its main quote and main order,
and the history says what changed (for the owner only: amounts are its business)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from leadhub.enquiries.history import record
from leadhub.enquiries.models import Enquiry, HistoryCategory
from leadhub.intake.models import Channel
from leadhub.lib.tabular import RowError, TableError
from leadhub.orgs.models import Organisation, User

from .models import Quote, QuoteKind
from .parse import QuoteRecord

MIRROR = {
    QuoteKind.QUOTE: ("quote_number", "quote_amount"),
    QuoteKind.ORDER: ("order_number", "order_amount"),
}
COMPARED = ("amount", "currency", "date", "external_id")


@dataclass
class ImportResult:
    counts: Counter[str] = field(default_factory=Counter)  # created / updated / unchanged
    results: list[dict[str, Any]] = field(default_factory=list)  # one per record, in order

    def summary(self) -> str:
        return ", ".join(f"{self.counts[k]} {k}" for k in ("created", "updated", "unchanged"))


def import_quotes(
    organisation: Organisation,
    records: Sequence[QuoteRecord],
    *,
    source: str,
    now: datetime,
    channel: Channel | None = None,
) -> ImportResult:
    """All records or none (TableError names each row whose enquiry is not `organisation`'s).
    Importing the same records again changes nothing."""
    with transaction.atomic():
        numbers = sorted({r.enquiry_number for r in records})
        # Locked in one order so that two imports touching the same enquiries queue up.
        enquiries = {
            e.number: e
            for e in Enquiry.objects.select_for_update(of=("self",))
            .filter(number__in=numbers, owner=organisation)
            .order_by("pk")
        }
        unknown = [
            RowError(
                r.where,
                "enquiry_number",
                f"no enquiry {r.enquiry_number} of {organisation.name}",
                r.index,
            )
            for r in records
            if r.enquiry_number not in enquiries
        ]
        if unknown:
            raise TableError(unknown)
        stored: dict[tuple[int, str, str], Quote] = {
            (q.enquiry_id, q.number, q.kind): q
            for q in Quote.objects.filter(enquiry__in=enquiries.values())
        }
        result = ImportResult()
        changes: dict[int, list[str]] = {}
        for r in records:
            enquiry = enquiries[r.enquiry_number]
            outcome, words = _apply(r, enquiry, organisation, stored, source, channel, now)
            result.counts[outcome] += 1
            quote = stored[(enquiry.pk, r.number, r.kind)]
            result.results.append(
                {
                    "enquiry_number": enquiry.number,
                    "number": r.number,
                    "kind": r.kind,
                    "main": quote.main,
                    "result": outcome,
                }
            )
            if words:
                changes.setdefault(enquiry.pk, []).append(words)
        for enquiry in enquiries.values():
            if enquiry.pk in changes:
                _mirror(enquiry, now)
                record(
                    enquiry,
                    category=HistoryCategory.ACTION,
                    kind="quotes_imported",
                    message=f"From the ERP ({source}): " + "; ".join(changes[enquiry.pk]) + ".",
                    organisation=organisation,
                    private_to=organisation,
                )
    return result


def _apply(
    r: QuoteRecord,
    enquiry: Enquiry,
    organisation: Organisation,
    stored: dict[tuple[int, str, str], Quote],
    source: str,
    channel: Channel | None,
    now: datetime,
) -> tuple[str, str]:
    """Create or update one quote; returns ("created"|"updated"|"unchanged", history words)."""
    siblings = [q for (e, _n, k), q in stored.items() if e == enquiry.pk and k == r.kind]
    quote = stored.get((enquiry.pk, r.number, r.kind))
    values = {
        "amount": r.amount,
        "currency": r.currency,
        "date": r.date,
        "external_id": r.external_id,
    }
    becomes_main = bool(r.main) or not any(q.main for q in siblings if q is not quote)
    if quote is None:
        quote = Quote(
            enquiry=enquiry,
            organisation=organisation,
            channel=channel,
            kind=r.kind,
            number=r.number,
            source=source,
            created_at=now,
            updated_at=now,
            main=False,
            **values,
        )
        stored[(enquiry.pk, r.number, r.kind)] = quote
        outcome = "created"
    else:
        changed = [k for k, v in values.items() if getattr(quote, k) != v]
        if not changed and (quote.main or not r.main):
            return "unchanged", ""
        for k in changed:
            setattr(quote, k, values[k])
        quote.source, quote.updated_at = source, now
        outcome = "updated"
    if becomes_main and not quote.main:
        _demote(siblings, quote)
        quote.main = True
    quote.save()
    label = QuoteKind(r.kind).label.lower()
    role = "main" if quote.main else "alternative"
    verb = "added" if outcome == "created" else "changed"
    return outcome, f"{label} {r.number} ({role}, {r.amount} {r.currency}) {verb}"


def _demote(siblings: list[Quote], keep: Quote) -> None:
    # Before the new main is saved: the database allows one main per enquiry and kind.
    for q in siblings:
        if q.main and q is not keep:
            q.main = False
            Quote.objects.filter(pk=q.pk).update(main=False)


def _mirror(enquiry: Enquiry, now: datetime) -> None:
    """The enquiry's quote and order fields show its main quote and main order (C8)."""
    mains = {q.kind: q for q in Quote.objects.filter(enquiry=enquiry, main=True)}
    updates: dict[str, Any] = {}
    for kind, (number_field, amount_field) in MIRROR.items():
        main = mains.get(kind)
        if main is None:
            continue
        if getattr(enquiry, number_field) != main.number:
            updates[number_field] = main.number
        if getattr(enquiry, amount_field) != main.amount:
            updates[amount_field] = main.amount
    updates["updated_at"] = now  # the owner's users see that something changed (C7)
    for name, value in updates.items():
        setattr(enquiry, name, value)
    enquiry.save(update_fields=list(updates))


class QuoteRefused(ValueError):
    pass


@transaction.atomic
def make_main(quote: Quote, *, by: User, now: datetime) -> Quote:
    """An alternative becomes the main quote (or order); the former main one an alternative."""
    enquiry = Enquiry.objects.select_for_update(of=("self",)).get(pk=quote.enquiry_id)
    quote = Quote.objects.get(pk=quote.pk)
    if enquiry.owner_id != by.organisation_id or quote.organisation_id != by.organisation_id:
        raise QuoteRefused("Only the organisation that owns the enquiry chooses its main quote.")
    if quote.main:
        return quote
    Quote.objects.filter(enquiry=enquiry, kind=quote.kind, main=True).update(main=False)
    quote.main, quote.updated_at = True, now
    quote.save(update_fields=["main", "updated_at"])
    _mirror(enquiry, now)
    label = QuoteKind(quote.kind).label.lower()
    record(
        enquiry,
        category=HistoryCategory.ACTION,
        kind="quote_made_main",
        message=f"The main {label} is now {quote.number} ({quote.amount} {quote.currency}).",
        actor=by,
        private_to=by.organisation,
    )
    return quote
