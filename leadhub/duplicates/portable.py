"""The check's reads and writes through the ORM, for any database (SQLite in the tests
and the demo). PostgreSQL takes postgres.py, the same rows in four statements; a test
runs both there on the same data (test_postgres.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from rapidfuzz import fuzz

from leadhub.contacts.models import Contact, ContactEmail, ContactPhone
from leadhub.enquiries.models import OPEN, Enquiry
from leadhub.referrals.models import Referral, ReferralStatus

from . import index
from .claim import Claim, Keys, NameRow
from .models import Candidate, ContactKey, ContactName, KeptApart, PendingCheck
from .retrieval import (
    LOOSE,
    PER_KEY,
    PER_NAME,
    TRIGRAM,
    Found,
    Record,
    referral_record,
    with_mirror,
)
from .scoring import Person

KIND_E = Value("e", output_field=CharField())  # which of the two tables a row came from
KIND_P = Value("p", output_field=CharField())


class PortableStore:
    def claim(self, now: datetime) -> Claim | None:
        waiting = PendingCheck.objects.filter(done_at=None).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            # N workers share the queue; the joined rows are only read.
            waiting = waiting.select_for_update(skip_locked=True, of=("self",))
        pending = waiting.select_related("organisation", "enquiry__contact").first()
        if pending is None:
            return None
        enquiry = pending.enquiry
        # Only for the organisation that controls it now (an offer accepted meanwhile
        # queued a check of its own for the partner).
        checked = enquiry.owner_id == pending.organisation_id
        return Claim(
            pending_id=pending.pk,
            enquiry_id=enquiry.pk,
            organisation_id=pending.organisation_id,
            is_brand=pending.organisation.is_brand,
            probe=record_of(enquiry.contact) if checked else None,
        )

    def write_keys(self, contact_id: int, keys: Keys, name: NameRow) -> None:
        index.rewrite(contact_id, keys, name)

    def gather(
        self, claim: Claim, keys: Keys, name: NameRow, probe: Person
    ) -> tuple[list[Record], list[Record]]:
        assert claim.probe is not None
        own, org = claim.probe.id, claim.organisation_id
        ids = _by_keys(keys, org, own) | _by_name(name, org, own)
        hits = _hits(ids, org, own, claim.enquiry_id) if ids else []
        referrals = _referrals(probe, claim, own) if claim.is_brand else []
        return hits, referrals

    def finish(self, claim: Claim, found: list[Found] | None, now: datetime) -> None:
        if found is not None:
            mine = Candidate.objects.filter(
                enquiry_id=claim.enquiry_id, organisation_id=claim.organisation_id
            ).order_by()
            stale = list(mine.values_list("pk", "contact_id", "referral_id", "decision"))
            seen = {(c, r) for _, c, r, decision in stale if decision}
            gone = [pk for pk, _, _, decision in stale if not decision]
            if gone:
                Candidate.objects.filter(pk__in=gone).delete()
            rows = [_row(claim, f, now) for f in found if f.pair not in seen]
            if rows:
                Candidate.objects.bulk_create(rows)
        PendingCheck.objects.filter(pk=claim.pending_id).update(done_at=now)


def record_of(contact: Contact) -> Record:
    """The contact with its e-mail and phone rows, read in one statement."""
    emails = ContactEmail.objects.filter(contact=contact).order_by().values_list("email", KIND_E)
    phones = ContactPhone.objects.filter(contact=contact).order_by().values_list("phone", KIND_P)
    rows = list(emails.union(phones, all=True))
    return Record(
        id=contact.pk,
        first_name=contact.first_name,
        last_name=contact.last_name,
        country=contact.country,
        national_id=contact.national_id,
        postal_code=contact.postal_code,
        street=contact.street,
        city=contact.city,
        emails=with_mirror([v for v, kind in rows if kind == "e"], contact.email),
        phones=with_mirror([v for v, kind in rows if kind == "p"], contact.phone),
    )


def _by_keys(keys: Keys, org: int, own: int) -> set[int]:
    if not keys:
        return set()
    match = Q()
    for kind, value in sorted(keys):
        match |= Q(kind=kind, value=value)
    return set(
        ContactKey.objects.filter(match, contact__owner_id=org)
        .exclude(contact_id=own)
        .values_list("contact_id", flat=True)[: PER_KEY * len(keys)]
    )


def _by_name(name: NameRow, org: int, own: int) -> set[int]:
    if name is None or not name[1]:
        return set()  # without a postal code, a name alone is no evidence
    rows = ContactName.objects.filter(postal_code=name[1], contact__owner_id=org).exclude(
        contact_id=own
    )
    if connection.vendor == "postgresql":
        return names_by_trigram(rows, name[0])
    return names_in_python(rows, name[0])


def names_by_trigram(rows: QuerySet[ContactName], name: str) -> set[int]:
    """pg_trgm's similarity over the postal code's rows (btree on postal_code, decision
    0052); postgres.py's statement does the same."""
    near = rows.extra(
        where=["similarity(duplicates_contactname.name, %s) >= %s"], params=[name, TRIGRAM]
    )
    return set(near.values_list("contact_id", flat=True)[:PER_NAME])


def names_in_python(rows: QuerySet[ContactName], name: str) -> set[int]:
    """SQLite: the postal code's rows, compared by rapidfuzz as loosely as `%` cuts."""
    found = set()
    for cid, other in rows.values_list("contact_id", "name")[: PER_NAME * 20]:
        if fuzz.token_sort_ratio(name, other) >= LOOSE:
            found.add(cid)
    return found


def _hits(ids: set[int], org: int, own: int, enquiry_id: int) -> list[Record]:
    """The contacts (the organisation's, none kept apart from `own`) with their keys and
    newest open enquiry at the organisation (the "similar enquiry")."""
    apart = KeptApart.objects.filter(
        Q(contact_id=own, other_id=OuterRef("pk")) | Q(contact_id=OuterRef("pk"), other_id=own)
    )
    others = list(
        Contact.objects.filter(pk__in=ids, owner_id=org).exclude(Exists(apart)).order_by()
    )
    if not others:
        return []
    found = [o.pk for o in others]
    their: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for cid, kind, value in ContactKey.objects.filter(contact_id__in=found).values_list(
        "contact_id", "kind", "value"
    ):
        their[cid][kind].append(value)
    newest: dict[int, int] = {}
    for cid, eid in (
        Enquiry.objects.filter(OPEN, contact_id__in=found, owner_id=org)
        .exclude(pk=enquiry_id)
        .order_by("contact_id", "-created_at", "-id")
        .values_list("contact_id", "pk")
    ):
        newest.setdefault(cid, eid)
    return [
        Record(
            id=o.pk,
            first_name=o.first_name,
            last_name=o.last_name,
            country=o.country,
            national_id=o.national_id,
            postal_code=o.postal_code,
            street=o.street,
            city=o.city,
            emails=tuple(their[o.pk][ContactKey.EMAIL]),
            phones=tuple(their[o.pk][ContactKey.PHONE]),
            open_enquiry_id=newest.get(o.pk),
        )
        for o in others
    ]


def _referrals(probe: Person, claim: Claim, own: int) -> list[Record]:
    """The brand's pending referrals with the same e-mail (by its key, as contacts'),
    phone or national id (as stored), not kept apart from the contact."""
    assert claim.probe is not None
    match = Q()
    if probe.emails:
        match |= Q(email_key__in=sorted(probe.emails))
    if probe.phones:
        match |= Q(phone__in=sorted(probe.phones))
    if claim.probe.national_id:
        match |= Q(national_id=claim.probe.national_id)
    if not match:
        return []
    apart = KeptApart.objects.filter(contact_id=own, referral_id=OuterRef("pk"))
    rows = (
        Referral.objects.filter(match, brand_id=claim.organisation_id)
        .filter(status=ReferralStatus.PENDING)
        .exclude(enquiry_id=claim.enquiry_id)
        .exclude(Exists(apart))
        .order_by()
        .values_list("pk", "first_name", "last_name", "email", "phone", "national_id")
    )
    return [
        referral_record(pk, first, last, email, phone, nid)
        for pk, first, last, email, phone, nid in rows[:PER_KEY]
    ]


def _row(claim: Claim, f: Found, now: datetime) -> Candidate:
    return Candidate(
        enquiry_id=claim.enquiry_id,
        organisation_id=claim.organisation_id,
        contact_id=f.contact_id,
        open_enquiry_id=f.open_enquiry_id,
        referral_id=f.referral_id,
        score=f.match.score,
        reasons=list(f.match.reasons),
        found_at=now,
    )
