"""The check's reads and writes on PostgreSQL in at most four statements, written once
(decision 0056): claim (marking done in the same transaction), the keys when they
changed, one read of the hits with their keys and open enquiries and of the referrals,
and the candidates replaced. portable.py reads the same rows through the ORM."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection

from leadhub.enquiries.states import CLOSED
from leadhub.orgs.models import OrgKind
from leadhub.referrals.models import ReferralStatus

from .claim import Claim, Keys, NameRow, Stored
from .models import ContactKey, Decision
from .retrieval import PER_KEY, PER_NAME, TRIGRAM, Found, Record, with_mirror
from .scoring import Person

# Marked done at once: the transaction commits both or neither. With SETTINGS for the
# rest of the transaction.
CLAIM = """
WITH claimed AS (
    UPDATE duplicates_pendingcheck SET done_at = %(now)s
    WHERE id = (
        SELECT id FROM duplicates_pendingcheck WHERE done_at IS NULL
        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
    )
    RETURNING id, enquiry_id, organisation_id
)
SELECT p.id, p.enquiry_id, p.organisation_id, o.kind, e.owner_id = p.organisation_id,
    c.id, c.first_name, c.last_name, c.country, c.national_id, c.postal_code, c.street,
    c.city, c.email, c.phone,
    ARRAY(SELECT m.email::text FROM contacts_contactemail m WHERE m.contact_id = c.id),
    ARRAY(SELECT t.phone::text FROM contacts_contactphone t WHERE t.contact_id = c.id),
    ARRAY(SELECT ARRAY[k.kind::text, k.value::text]
          FROM duplicates_contactkey k WHERE k.contact_id = c.id),
    n.name, n.postal_code,
    EXISTS (SELECT FROM duplicates_candidate d
            WHERE d.enquiry_id = p.enquiry_id AND d.organisation_id = p.organisation_id),
    {settings}
FROM claimed p
JOIN orgs_organisation o ON o.id = p.organisation_id
JOIN enquiries_enquiry e ON e.id = p.enquiry_id
JOIN contacts_contact c ON c.id = e.contact_id
LEFT JOIN duplicates_contactname n ON n.contact_id = c.id
"""
# For the rest of the claiming transaction (set_config(..., true) is SET LOCAL, as in
# lib/sql.py), set by the claim to save a round trip (decision 0056):
# - plan_cache_mode: once prepared (5 runs, config/settings.py) the statements keep one
#   generic plan. Left to choose, PostgreSQL planned GATHER anew for every check with no
#   name to look up (its custom plan looks cheaper when it sees how few keys there are):
#   1 ms of a 3 ms check at 1M contacts.
# - synchronous_commit: the commit does not wait for the WAL flush (0.3 ms, 3-10 ms when
#   the disk is busy). A crash may lose the last checks' commits, claim included, so
#   those checks wait again and run again: all they write is derived and a repeat
#   changes nothing (decision 0048). A later synchronous commit (a user deciding on a
#   candidate) flushes them first, WAL being in order.
SETTINGS = {"plan_cache_mode": "force_generic_plan", "synchronous_commit": "off"}
CLAIM = CLAIM.format(
    settings=", ".join(f"set_config('{name}', '{value}', true)" for name, value in SETTINGS.items())
)

# Keys and name row as computed; the keys kept are not touched.
WRITE_KEYS = """
WITH wanted (kind, value) AS (SELECT * FROM unnest(%(kinds)s::text[], %(values)s::text[])),
gone AS (
    DELETE FROM duplicates_contactkey k
    WHERE k.contact_id = %(contact)s
      AND NOT EXISTS (SELECT FROM wanted w WHERE w.kind = k.kind AND w.value = k.value)
),
added AS (
    INSERT INTO duplicates_contactkey (contact_id, kind, value)
    SELECT %(contact)s, kind, value FROM wanted
    ON CONFLICT (contact_id, kind, value) DO NOTHING
),
nameless AS (
    DELETE FROM duplicates_contactname
    WHERE contact_id = %(contact)s AND %(name)s::text IS NULL
)
INSERT INTO duplicates_contactname (contact_id, name, postal_code)
SELECT %(contact)s, %(name)s::text, %(postal)s::text WHERE %(name)s::text IS NOT NULL
ON CONFLICT (contact_id) DO UPDATE SET name = excluded.name, postal_code = excluded.postal_code
"""

# The contacts of the organisation a key or the name (similarity over the postal code's
# rows, decision 0052) leads to, less what was kept apart, with their e-mail and phone
# keys and newest open enquiry there; then the brand's pending referrals.
GATHER = """
WITH wanted (kind, value) AS (SELECT * FROM unnest(%(kinds)s::text[], %(values)s::text[])),
by_key AS (
    SELECT k.contact_id FROM wanted w
    JOIN duplicates_contactkey k ON k.kind = w.kind AND k.value = w.value
    JOIN contacts_contact c ON c.id = k.contact_id
    WHERE c.owner_id = %(org)s AND k.contact_id <> %(own)s
    LIMIT %(per_keys)s
),
by_name AS (
    SELECT n.contact_id FROM duplicates_contactname n
    JOIN contacts_contact c ON c.id = n.contact_id
    WHERE %(name)s::text <> '' AND n.postal_code = %(postal)s::text
      AND c.owner_id = %(org)s AND n.contact_id <> %(own)s
      AND similarity(n.name, %(name)s::text) >= %(trigram)s
    LIMIT %(per_name)s
),
hit AS (SELECT contact_id FROM by_key UNION SELECT contact_id FROM by_name)
SELECT 'c', c.id, c.first_name, c.last_name, c.country, c.national_id, c.postal_code,
    c.street, c.city,
    ARRAY(SELECT k.value::text FROM duplicates_contactkey k
          WHERE k.contact_id = c.id AND k.kind = %(email)s::text),
    ARRAY(SELECT k.value::text FROM duplicates_contactkey k
          WHERE k.contact_id = c.id AND k.kind = %(phone)s::text),
    (SELECT e.id FROM (
         -- The contact's few enquiries by its index alone (OFFSET 0 keeps the owner out
         -- of this scan): the generic plan guessed a brand's owner_id at 23 rows and
         -- ANDed its 114,000 index entries in, 2 ms a hit.
         SELECT e.id, e.owner_id, e.status, e.created_at FROM enquiries_enquiry e
         WHERE e.contact_id = c.id OFFSET 0
     ) e
     WHERE e.owner_id = %(org)s AND e.id <> %(enquiry)s
       AND NOT e.status = ANY(%(closed)s::text[])
     ORDER BY e.created_at DESC, e.id DESC LIMIT 1)
FROM hit JOIN contacts_contact c ON c.id = hit.contact_id
WHERE c.owner_id = %(org)s
  AND NOT EXISTS (
      SELECT FROM duplicates_keptapart a
      WHERE (a.contact_id = %(own)s AND a.other_id = c.id)
         OR (a.contact_id = c.id AND a.other_id = %(own)s)
  )
UNION ALL (
    SELECT 'r', r.id, r.first_name, r.last_name, '', r.national_id, '', '', '',
        array_remove(ARRAY[r.email::text], ''), array_remove(ARRAY[r.phone::text], ''),
        NULL::bigint
    FROM referrals_referral r
    WHERE %(brand)s AND r.brand_id = %(org)s AND r.status = %(pending)s::text
      AND (r.email_key = ANY(%(emails)s::text[]) OR r.phone = ANY(%(phones)s::text[])
           OR (%(national_id)s::text <> '' AND r.national_id = %(national_id)s::text))
      AND r.enquiry_id IS DISTINCT FROM %(enquiry)s
      AND NOT EXISTS (
          SELECT FROM duplicates_keptapart a WHERE a.contact_id = %(own)s AND a.referral_id = r.id
      )
    LIMIT %(per_key)s
)
"""

# The open candidates go, the new ones come unless that pair was decided already.
REPLACE = """
WITH gone AS (
    DELETE FROM duplicates_candidate
    WHERE enquiry_id = %(enquiry)s AND organisation_id = %(org)s AND decision = %(open)s::text
),
new AS (
    SELECT * FROM unnest(%(contacts)s::bigint[], %(referrals)s::bigint[],
        %(opens)s::bigint[], %(scores)s::int[], %(reasons)s::jsonb[])
        WITH ORDINALITY AS n (contact_id, referral_id, open_enquiry_id, score, reasons, i)
)
INSERT INTO duplicates_candidate (enquiry_id, organisation_id, contact_id, referral_id,
    open_enquiry_id, score, reasons, found_at, decision)
SELECT %(enquiry)s, %(org)s, n.contact_id, n.referral_id, n.open_enquiry_id, n.score,
    n.reasons, %(now)s, %(open)s::text
FROM new n
WHERE NOT EXISTS (
    SELECT FROM duplicates_candidate d
    WHERE d.enquiry_id = %(enquiry)s AND d.organisation_id = %(org)s
      AND d.decision <> %(open)s::text
      AND d.contact_id IS NOT DISTINCT FROM n.contact_id
      AND d.referral_id IS NOT DISTINCT FROM n.referral_id
)
ORDER BY n.i
"""

FIXED: dict[str, Any] = {
    "trigram": TRIGRAM,
    "per_name": PER_NAME,
    "per_key": PER_KEY,
    "email": ContactKey.EMAIL,
    "phone": ContactKey.PHONE,
    "closed": sorted(CLOSED),
    "pending": ReferralStatus.PENDING.value,
}


class PostgresStore:
    def claim(self, now: datetime) -> Claim | None:
        row = _one(CLAIM, {"now": now})
        if row is None:
            return None
        (pending, enquiry, org, kind, checked, cid, first, last, country, national_id,
         postal, street, city, email, phone, emails, phones, keys, name, name_postal,
         has_candidates) = row[: -len(SETTINGS)]  # fmt: skip
        probe = _record(
            cid, first, last, country, national_id, postal, street, city,
            with_mirror(emails, email), with_mirror(phones, phone), None,
        )  # fmt: skip
        return Claim(
            pending_id=pending,
            enquiry_id=enquiry,
            organisation_id=org,
            is_brand=kind == OrgKind.BRAND,
            probe=probe if checked else None,
            stored=Stored(
                frozenset((k, v) for k, v in keys),
                None if name is None else (name, name_postal),
            ),
            has_candidates=has_candidates,
        )

    def write_keys(self, contact_id: int, keys: Keys, name: NameRow) -> None:
        ordered = sorted(keys)
        _run(
            WRITE_KEYS,
            {
                "contact": contact_id,
                "kinds": [k for k, _ in ordered],
                "values": [v for _, v in ordered],
                "name": name[0] if name else None,
                "postal": name[1] if name else None,
            },
        )

    def gather(
        self, claim: Claim, keys: Keys, name: NameRow, probe: Person
    ) -> tuple[list[Record], list[Record]]:
        assert claim.probe is not None
        ordered = sorted(keys)
        params = FIXED | {
            "org": claim.organisation_id,
            "own": claim.probe.id,
            "enquiry": claim.enquiry_id,
            "brand": claim.is_brand,
            "kinds": [k for k, _ in ordered],
            "values": [v for _, v in ordered],
            "per_keys": PER_KEY * len(keys),
            "name": name[0] if name and name[1] else "",  # no postal code: no fuzzy path
            "postal": name[1] if name else "",
            "emails": sorted(probe.emails),
            "phones": sorted(probe.phones),
            "national_id": claim.probe.national_id,
        }
        hits: list[Record] = []
        referrals: list[Record] = []
        for kind, *fields in _all(GATHER, params):
            (hits if kind == "c" else referrals).append(_record(*fields))
        return hits, referrals

    def finish(self, claim: Claim, found: list[Found] | None, now: datetime) -> None:
        """The check was marked done when claimed; nothing to write when nothing was
        found and there is nothing to replace."""
        if found is None or not (found or claim.has_candidates):
            return
        _run(
            REPLACE,
            {
                "enquiry": claim.enquiry_id,
                "org": claim.organisation_id,
                "open": Decision.OPEN.value,
                "now": now,
                "contacts": [f.contact_id for f in found],
                "referrals": [f.referral_id for f in found],
                "opens": [f.open_enquiry_id for f in found],
                "scores": [f.match.score for f in found],
                "reasons": [json.dumps(list(f.match.reasons)) for f in found],
            },
        )


def _record(
    pk: int,
    first: str,
    last: str,
    country: str,
    national_id: str,
    postal: str,
    street: str,
    city: str,
    emails: Sequence[str],
    phones: Sequence[str],
    open_enquiry: int | None,
) -> Record:
    return Record(
        id=pk,
        first_name=first,
        last_name=last,
        country=country,
        national_id=national_id,
        postal_code=postal,
        street=street,
        city=city,
        emails=tuple(emails),
        phones=tuple(phones),
        open_enquiry_id=open_enquiry,
    )


def _one(sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row: tuple[Any, ...] | None = cursor.fetchone()
        return row


def _all(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _run(sql: str, params: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
