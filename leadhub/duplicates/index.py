"""Keeping the match keys of contacts (ContactKey, ContactName) in step with the contacts.
Written by the check worker for the contact it checks, by merges, and by contact edits.
A referral's one key, its e-mail's, is its own column, written when the broker sends it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from leadhub.contacts.models import Contact
from leadhub.referrals.models import Referral

from .keys import email_key, name_entry, national_id_key
from .models import ContactKey, ContactName, Merge

BATCH = 2000


def keys_of(
    national_id: str, emails: Iterable[str], phones: Iterable[str]
) -> frozenset[tuple[str, str]]:
    keys = {(ContactKey.EMAIL, email_key(e)) for e in emails if e}
    keys |= {(ContactKey.PHONE, p) for p in phones if p}  # stored in E.164 already
    if national_id:
        keys.add((ContactKey.NATIONAL_ID, national_id_key(national_id)))
    return frozenset((k, v[:254]) for k, v in keys if v)


@transaction.atomic(savepoint=False)
def refresh(contact_ids: Iterable[int]) -> None:
    """Rewrite the keys of these contacts from their rows (a gone contact has none)."""
    ids = sorted(set(contact_ids))
    if not ids:
        return
    ContactKey.objects.filter(contact_id__in=ids).delete()
    ContactName.objects.filter(contact_id__in=ids).delete()
    gone = Merge.objects.filter(merged_id__in=ids, undone_at=None).values("merged_id")
    contacts = (
        Contact.objects.filter(pk__in=ids).exclude(pk__in=gone).prefetch_related("emails", "phones")
    )
    keys: list[ContactKey] = []
    names: list[ContactName] = []
    for c in contacts:
        emails = [r.email for r in c.emails.all()] or [c.email]
        phones = [r.phone for r in c.phones.all()] or [c.phone]
        keys += [
            ContactKey(contact=c, kind=k, value=v)
            for k, v in keys_of(c.national_id, emails, phones)
        ]
        entry = name_entry(c.first_name, c.last_name, c.postal_code)
        if entry:
            names.append(ContactName(contact=c, name=entry[0], postal_code=entry[1]))
    ContactKey.objects.bulk_create(keys, batch_size=BATCH)
    ContactName.objects.bulk_create(names, batch_size=BATCH)


def rewrite(contact_id: int, keys: Iterable[tuple[str, str]], name: tuple[str, str] | None) -> None:
    """The checked contact's keys and name row, computed from rows already read (the
    worker's portable path: a contact with an enquiry is never a merged one, its
    enquiries moved)."""
    ContactKey.objects.filter(contact_id=contact_id).delete()
    ContactKey.objects.bulk_create(
        ContactKey(contact_id=contact_id, kind=k, value=v) for k, v in keys
    )
    if name is None:
        ContactName.objects.filter(contact_id=contact_id).delete()
        return
    # One upsert where a delete and an insert were (the row is keyed by its contact).
    ContactName.objects.bulk_create(
        [ContactName(contact_id=contact_id, name=name[0], postal_code=name[1])],
        update_conflicts=True,
        unique_fields=["contact"],
        update_fields=["name", "postal_code"],
    )


def forget(contact_ids: Iterable[int]) -> None:
    """A merged-away contact matches nothing until the merge is undone."""
    ids = list(contact_ids)
    ContactKey.objects.filter(contact_id__in=ids).delete()
    ContactName.objects.filter(contact_id__in=ids).delete()


def reindex_all(*, batch: int = BATCH) -> int:
    """Every contact's keys (after install, or when the check was off a while)."""
    done, last = 0, 0
    while True:
        ids = list(
            Contact.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return done
        refresh(ids)
        done, last = done + len(ids), ids[-1]


def reindex_referrals(*, batch: int = BATCH) -> int:
    """Every referral's e-mail key (after the provider rule changed)."""
    done, last = 0, 0
    while True:
        rows = list(Referral.objects.filter(pk__gt=last).order_by("pk").only("pk", "email")[:batch])
        if not rows:
            return done
        for r in rows:
            r.email_key = email_key(r.email)
        Referral.objects.bulk_update(rows, ["email_key"])
        done, last = done + len(rows), rows[-1].pk
