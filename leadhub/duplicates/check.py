"""The worker's step: claim a pending check, refresh the contact's keys, find, store what
scored high enough, mark it done. Each check is one transaction; a repeat replaces the
open candidates and keeps the decided ones (decision 0048). The reads and writes are a
store's: postgres.py on PostgreSQL (few statements, decision 0056), portable.py elsewhere."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from .claim import Claim, Store, Stored
from .index import keys_of
from .models import ContactKey
from .portable import PortableStore
from .postgres import PostgresStore
from .retrieval import Found, decide, name_row, person_of


def run_pending(*, limit: int = 100) -> int:
    """Run up to `limit` waiting checks, oldest first; answers how many ran."""
    done = 0
    while done < limit and _run_one():
        done += 1
    return done


def store() -> Store:
    return PostgresStore() if connection.vendor == "postgresql" else PortableStore()


def _run_one() -> bool:
    now = timezone.now()
    where = store()
    with transaction.atomic():
        claim = where.claim(now)
        if claim is None:
            return False
        found = _check(where, claim) if claim.probe is not None else None
        where.finish(claim, found, now)
    return True


def _check(where: Store, claim: Claim) -> list[Found]:
    """Check the claimed enquiry's contact among what its owner organisation owns."""
    assert claim.probe is not None
    probe = claim.probe
    keys = keys_of(probe.national_id, probe.emails, probe.phones)
    name = name_row(probe)
    if claim.stored != Stored(keys, name):  # unchanged keys are not written again
        where.write_keys(probe.id, keys, name)
    me = person_of(probe)
    hits, referrals = where.gather(claim, keys, name, me)
    phones = {v for k, v in keys if k == ContactKey.PHONE}
    return decide(me, phones, hits, referrals)
