"""Finding candidates for one contact among what one organisation owns (decision 0048):
exact keys through an index, then fuzzy name + postal code (pg_trgm on PostgreSQL, a
postal-code filter and rapidfuzz in Python on SQLite); scoring.py decides."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from rapidfuzz import fuzz

from leadhub.contacts.models import Contact, ContactEmail, ContactPhone
from leadhub.enquiries.models import OPEN, Enquiry
from leadhub.orgs.models import Organisation
from leadhub.referrals.models import Referral, ReferralStatus

from .index import keys_of
from .keys import name_key, postal_key
from .models import ContactKey, ContactName, KeptApart
from .scoring import Match, Person, person, score

PER_KEY = 50  # rows read per exact key; a switchboard has many, a few show it is one
PER_NAME = 100  # fuzzy rows read per postal code
TRIGRAM = 0.3  # pg_trgm similarity, as loose as `%`
LOOSE = 60  # the fuzzy path's first cut on SQLite (PostgreSQL: `%`, similarity 0.3)
SWITCHBOARD_NAMES = 2  # other people's names on one phone make it a shared number


@dataclass(frozen=True)
class Found:
    contact: Contact | None
    referral: Referral | None
    match: Match
    open_enquiry: Enquiry | None = None


KIND_E = Value("e", output_field=CharField())  # which of the two tables a row came from
KIND_P = Value("p", output_field=CharField())


def emails_and_phones(contact: Contact) -> tuple[list[str], list[str]]:
    """The contact's e-mail and phone rows in one query, else its mirror columns."""
    emails = ContactEmail.objects.filter(contact=contact).order_by().values_list("email", KIND_E)
    phones = ContactPhone.objects.filter(contact=contact).order_by().values_list("phone", KIND_P)
    rows = list(emails.union(phones, all=True))
    found = [v for v, kind in rows if kind == "e"] or [contact.email]
    dialled = [v for v, kind in rows if kind == "p"] or [contact.phone]
    return [e for e in found if e], [p for p in dialled if p]


def person_of(
    contact: Contact,
    *,
    emails: list[str],
    phones: list[str],
    shared_phones: frozenset[str] = frozenset(),
) -> Person:
    return person(
        first_name=contact.first_name,
        last_name=contact.last_name,
        emails=emails,
        phones=phones,
        country=contact.country,
        national_id=contact.national_id,
        postal_code=contact.postal_code,
        street=contact.street,
        city=contact.city,
        shared_phones=shared_phones,
    )


def find(
    contact: Contact,
    organisation: Organisation,
    *,
    enquiry: Enquiry,
    emails_phones: tuple[list[str], list[str]] | None = None,
) -> list[Found]:
    """Statements kept few (docs/benchmarks.md, p99 < 20 ms): one for the exact keys, one
    for the names, two to read the hits (less what was kept apart) with their keys.
    `emails_phones`: emails_and_phones(contact), when the caller has read them."""
    probe_emails, probe_phones = emails_phones or emails_and_phones(contact)
    keys = keys_of(contact, probe_emails, probe_phones)
    hits = _by_keys(keys, organisation, contact.pk) | _by_name(contact, organisation)
    hits.discard(contact.pk)
    others = (
        list(
            Contact.objects.filter(pk__in=hits, owner=organisation)
            .exclude(_kept_apart_from(contact.pk))
            .order_by()
        )
        if hits
        else []
    )
    their_keys: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if others:
        for cid, kind, value in ContactKey.objects.filter(
            contact_id__in=[o.pk for o in others]
        ).values_list("contact_id", "kind", "value"):
            their_keys[cid][kind].append(value)
    phones = {v for k, v in keys if k == ContactKey.PHONE}
    shared = _switchboards(phones, others, their_keys)
    probe = person_of(contact, emails=probe_emails, phones=probe_phones, shared_phones=shared)
    found: list[Found] = []
    for other in others:
        mine = their_keys[other.pk]
        them = person_of(
            other,
            emails=mine[ContactKey.EMAIL],
            phones=mine[ContactKey.PHONE],
            shared_phones=shared,
        )
        match = score(probe, them)
        if match.shown:
            found.append(Found(contact=other, referral=None, match=match))
    if found:
        found = _with_open_enquiries(found, organisation, enquiry)
    if organisation.is_brand:
        found += _referrals(probe, contact, organisation, enquiry)
    found.sort(key=lambda f: (-f.match.score, f.contact.pk if f.contact else 0))
    return found


def _by_keys(keys: set[tuple[str, str]], organisation: Organisation, own: int) -> set[int]:
    if not keys:
        return set()
    match = Q()
    for kind, value in sorted(keys):
        match |= Q(kind=kind, value=value)
    return set(
        ContactKey.objects.filter(match, contact__owner=organisation)
        .exclude(contact_id=own)
        .values_list("contact_id", flat=True)[: PER_KEY * len(keys)]
    )


def _by_name(contact: Contact, organisation: Organisation) -> set[int]:
    name = name_key(contact.first_name, contact.last_name)
    postal = postal_key(contact.postal_code)
    if not name or not postal:
        return set()
    rows = ContactName.objects.filter(postal_code=postal, contact__owner=organisation).exclude(
        contact_id=contact.pk
    )
    if connection.vendor == "postgresql":
        return names_by_trigram(rows, name)
    return names_in_python(rows, name)


def names_by_trigram(rows: QuerySet[ContactName], name: str) -> set[int]:
    return set(near_by_trigram(rows, name))


def near_by_trigram(rows: QuerySet[ContactName], name: str) -> QuerySet[ContactName, int]:
    """pg_trgm's similarity over the postal code's rows (btree on postal_code). Measured
    at 1M contacts (docs/benchmarks.md): `name % …` through a GIN index over
    (postal_code, name gin_trgm_ops) took 8 ms, merging the posting lists of common
    trigrams; the postal code's ~125 rows filtered by similarity() take 1.4 ms. Nothing
    used that index after, so it went (decision 0052)."""
    near = rows.extra(
        where=["similarity(duplicates_contactname.name, %s) >= %s"], params=[name, TRIGRAM]
    )
    return near.values_list("contact_id", flat=True)[:PER_NAME]


def names_in_python(rows: QuerySet[ContactName], name: str) -> set[int]:
    """SQLite: the postal code's rows, compared by rapidfuzz as loosely as `%` cuts."""
    found = set()
    for cid, other in rows.values_list("contact_id", "name")[: PER_NAME * 20]:
        if fuzz.token_sort_ratio(name, other) >= LOOSE:
            found.add(cid)
    return found


def _kept_apart_from(contact_id: int) -> Q:
    """Contacts marked "not duplicates" of `contact_id` (a pair is stored lower id first)."""
    pairs = KeptApart.objects.filter(
        Q(contact_id=contact_id, other_id=OuterRef("pk"))
        | Q(contact_id=OuterRef("pk"), other_id=contact_id)
    )
    return Q(Exists(pairs))


def _switchboards(
    phones: set[str], others: list[Contact], their_keys: dict[int, dict[str, list[str]]]
) -> frozenset[str]:
    """The probe's phones that other people of different names share here: the hits
    hold every contact with the phone (up to PER_KEY of them)."""
    names: dict[str, set[str]] = defaultdict(set)
    for other in others:
        for phone in phones.intersection(their_keys[other.pk][ContactKey.PHONE]):
            names[phone].add(name_key(other.first_name, other.last_name))
    return frozenset(p for p, n in names.items() if len(n) >= SWITCHBOARD_NAMES)


def _with_open_enquiries(
    found: list[Found], organisation: Organisation, enquiry: Enquiry
) -> list[Found]:
    """Each contact's newest open enquiry at the organisation (the "similar enquiry")."""
    ids = [f.contact.pk for f in found if f.contact]
    newest: dict[int, Enquiry] = {}
    for e in (
        Enquiry.objects.filter(OPEN, contact_id__in=ids, owner=organisation)
        .exclude(pk=enquiry.pk)
        .order_by("contact_id", "-created_at", "-id")
    ):
        newest.setdefault(e.contact_id, e)
    return [
        Found(f.contact, None, f.match, newest.get(f.contact.pk) if f.contact else None)
        for f in found
    ]


def _referrals(
    probe: Person, contact: Contact, organisation: Organisation, enquiry: Enquiry
) -> list[Found]:
    """The brand's pending referrals with the same e-mail (by its key, as contacts'),
    phone or national id."""
    match = Q()
    if probe.emails:
        match |= Q(email_key__in=sorted(probe.emails))
    for p in probe.phones:
        match |= Q(phone=p)
    if contact.national_id:
        match |= Q(national_id=contact.national_id)
    if not match:
        return []
    found = []
    rows = list(
        Referral.objects.filter(match, brand=organisation, status=ReferralStatus.PENDING).exclude(
            enquiry=enquiry
        )[:PER_KEY]
    )
    if rows:
        apart = set(
            KeptApart.objects.filter(contact=contact, referral__in=rows).values_list(
                "referral_id", flat=True
            )
        )
        rows = [r for r in rows if r.pk not in apart]
    for r in rows:
        other = person(
            first_name=r.first_name,
            last_name=r.last_name,
            emails=[r.email] if r.email else [],
            phones=[r.phone] if r.phone else [],
            national_id=r.national_id,
            shared_phones=probe.shared_phones,
        )
        m = score(probe, other)
        if m.shown:
            found.append(Found(contact=None, referral=r, match=m))
    return found
