"""Decisions on duplicates (D1). Each is one transaction with its history entries, and a
retry changes nothing: link to an existing contact, merge two contacts (undoable from the
merge's entry), keep apart ("not duplicates", remembered)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from leadhub.contacts.company import company_key
from leadhub.contacts.models import Consent, Contact, ContactChange, ContactEmail, ContactPhone
from leadhub.enquiries.history import entry
from leadhub.enquiries.models import Enquiry, HistoryCategory, HistoryEntry
from leadhub.orgs.models import User
from leadhub.search import index as search_index

from . import index
from .models import Candidate, Decision, KeptApart, Merge

# Empty fields of the kept contact that the merged one fills (undo empties them again).
FILLABLE = (
    "title",
    "first_name",
    "last_name",
    "company",
    "street",
    "postal_code",
    "city",
    "province",
    "country",
    "language",
    "vat_number",
    "national_id",
)


class DuplicateRefused(Exception):
    """The decision cannot be taken; the message says why, for the user."""


@transaction.atomic
def link_to_contact(candidate: Candidate, *, by: User) -> Enquiry:
    """The candidate's enquiry belongs to the candidate's (existing) contact from now on;
    the contact it came with stays as it is."""
    candidate = _locked_candidate(candidate)
    enquiry = Enquiry.objects.select_for_update().get(pk=candidate.enquiry_id)
    target = candidate.contact
    if target is None:
        raise DuplicateRefused("A referral is no contact: accept it or keep it apart.")
    _same_owner(by, enquiry.owner_id, target.owner_id)
    if enquiry.contact_id == target.pk:
        _decide([candidate], Decision.LINKED, by)
        return enquiry  # a retry
    before = enquiry.contact_id
    now = timezone.now()
    Enquiry.objects.filter(pk=enquiry.pk).update(contact=target, updated_at=now)
    HistoryEntry.objects.bulk_create(
        [
            entry(
                enquiry,
                category=HistoryCategory.ACTION,
                kind="contact_linked",
                message=f"Linked to the existing contact {target} (no. {target.pk}).",
                actor=by,
                data={"from_contact": before, "to_contact": target.pk},
                private_to=by.organisation,
            )
        ]
    )
    _decide([candidate], Decision.LINKED, by)
    search_index.refresh([enquiry.pk])
    enquiry.refresh_from_db()
    return enquiry


@transaction.atomic
def keep_apart(candidate: Candidate, *, by: User) -> KeptApart:
    """ "Not duplicates": remembered for the pair, never suggested again."""
    candidate = _locked_candidate(candidate)
    enquiry = candidate.enquiry
    _same_owner(by, enquiry.owner_id, candidate.organisation_id)
    own = enquiry.contact_id
    if candidate.referral_id is not None:
        pair, _ = KeptApart.objects.get_or_create(
            contact_id=own,
            referral_id=candidate.referral_id,
            defaults={"organisation_id": candidate.organisation_id, "by": by},
        )
    else:
        assert candidate.contact_id is not None
        low, high = sorted((own, candidate.contact_id))
        pair, _ = KeptApart.objects.get_or_create(
            contact_id=low,
            other_id=high,
            defaults={"organisation_id": candidate.organisation_id, "by": by},
        )
    if candidate.decision != Decision.APART:
        _decide([candidate], Decision.APART, by)
        what = candidate.referral or candidate.contact
        HistoryEntry.objects.bulk_create(
            [
                entry(
                    enquiry,
                    category=HistoryCategory.ACTION,
                    kind="duplicate_kept_apart",
                    message=f"Not a duplicate of {what}: kept apart.",
                    actor=by,
                    private_to=by.organisation,
                )
            ]
        )
    return pair


@transaction.atomic
def merge_contacts(
    kept: Contact, merged: Contact, *, by: User, enquiry: Enquiry | None = None
) -> Merge:
    """`merged`'s enquiries, e-mails, phones and consents (and so its referrals, which
    hang on the enquiries) move to `kept`; `kept`'s empty fields take `merged`'s values.
    `merged` stays, empty and out of every check, until the merge is undone."""
    if kept.pk == merged.pk:
        raise DuplicateRefused("A contact cannot be merged into itself.")
    kept, merged = _locked_pair(kept, merged)
    _same_owner(by, kept.owner_id, merged.owner_id)
    live = Merge.objects.filter(merged=merged, undone_at=None).first()
    if live is not None:
        if live.kept_id == kept.pk:
            return live  # a retry
        raise DuplicateRefused("That contact was already merged into another one.")
    if Merge.objects.filter(merged=kept, undone_at=None).exists():
        raise DuplicateRefused("The contact to keep was itself merged into another one.")
    enquiries = list(merged.enquiries.order_by("pk").values_list("pk", flat=True))
    consents = list(merged.consents.values_list("pk", flat=True))
    moved = {
        "enquiries": enquiries,
        "emails": _move_rows(ContactEmail, "email", merged, kept),
        "phones": _move_rows(ContactPhone, "phone", merged, kept),
        "consents": consents,
    }
    Consent.objects.filter(pk__in=consents).update(contact=kept)
    Enquiry.objects.filter(pk__in=enquiries).update(contact=kept)
    filled = {
        f: getattr(merged, f) for f in FILLABLE if not getattr(kept, f) and getattr(merged, f)
    }
    for name, value in filled.items():
        setattr(kept, name, value)
    kept.company_key = company_key(kept.company)
    _mirror(kept)
    _mirror(merged)
    kept.save()
    merged.save()
    merge = Merge.objects.create(
        organisation_id=kept.owner_id, kept=kept, merged=merged, moved=moved, filled=filled, by=by
    )
    touched = _enquiries_of(kept.pk, enquiry)
    _history(
        touched,
        kind="contacts_merged",
        message=f"Contact {merged} (no. {merged.pk}) merged into {kept} (no. {kept.pk}).",
        by=by,
        merge=merge,
    )
    _log(kept, by, f"Merged with contact no. {merged.pk}.", ["merge", *filled])
    _log(merged, by, f"Merged into contact no. {kept.pk}.", ["merge"])
    index.refresh([kept.pk])
    index.forget([merged.pk])
    _decide(
        Candidate.objects.filter(
            contact_id__in=(kept.pk, merged.pk), enquiry__contact_id__in=(kept.pk, merged.pk)
        ).exclude(decision=Decision.MERGED),
        Decision.MERGED,
        by,
    )
    search_index.refresh([e.pk for e in touched])
    return merge


@transaction.atomic
def undo_merge(merge: Merge, *, by: User) -> Merge:
    """Everything that moved goes back, filled fields are emptied again where nobody
    changed them since; what was added to the kept contact after the merge stays."""
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        return merge  # a retry
    kept, merged = _locked_pair(merge.kept, merge.merged)
    _same_owner(by, kept.owner_id, merged.owner_id)
    moved = merge.moved
    back = list(
        Enquiry.objects.filter(pk__in=moved["enquiries"], contact=kept).values_list("pk", flat=True)
    )
    Enquiry.objects.filter(pk__in=back).update(contact=merged)
    for pk, position in moved["emails"]:
        ContactEmail.objects.filter(pk=pk, contact=kept).update(contact=merged, position=position)
    for pk, position in moved["phones"]:
        ContactPhone.objects.filter(pk=pk, contact=kept).update(contact=merged, position=position)
    Consent.objects.filter(pk__in=moved["consents"], contact=kept).update(contact=merged)
    for name, value in merge.filled.items():
        if getattr(kept, name) == value:
            setattr(kept, name, "")
    kept.company_key = company_key(kept.company)
    _mirror(kept)
    _mirror(merged)
    kept.save()
    merged.save()
    merge.undone_at, merge.undone_by = timezone.now(), by
    merge.save(update_fields=["undone_at", "undone_by"])
    touched = list(Enquiry.objects.filter(pk__in=[*back, *_ids(kept.pk)]).order_by("pk"))
    _history(
        touched,
        kind="merge_undone",
        message=f"Merge undone: contact {merged} (no. {merged.pk}) is apart from {kept} again.",
        by=by,
        merge=merge,
    )
    _log(kept, by, f"Merge with contact no. {merged.pk} undone.", ["merge"])
    _log(merged, by, f"Merge into contact no. {kept.pk} undone.", ["merge"])
    index.refresh([kept.pk, merged.pk])
    search_index.refresh([e.pk for e in touched])
    return merge


def _locked_candidate(candidate: Candidate) -> Candidate:
    return (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("enquiry", "contact", "referral")
        .get(pk=candidate.pk)
    )


def _locked_pair(a: Contact, b: Contact) -> tuple[Contact, Contact]:
    rows = {
        c.pk: c
        for c in Contact.objects.select_for_update().filter(pk__in=(a.pk, b.pk)).order_by("pk")
    }
    return rows[a.pk], rows[b.pk]


def _same_owner(by: User, *owners: int | None) -> None:
    if any(o != by.organisation_id for o in owners):
        raise DuplicateRefused("Only contacts of your own organisation can be joined.")


def _move_rows(
    model: type[ContactEmail] | type[ContactPhone], attr: str, source: Contact, target: Contact
) -> list[list[int]]:
    """Rows of `source` that `target` lacks, appended to `target`'s: [[id, old position]]."""
    have = set(model.objects.filter(contact=target).values_list(attr, flat=True))
    last = max(model.objects.filter(contact=target).values_list("position", flat=True), default=-1)
    moved = []
    for row in model.objects.filter(contact=source).order_by("position"):
        if getattr(row, attr) in have:
            continue
        last += 1
        moved.append([row.pk, row.position])
        model.objects.filter(pk=row.pk).update(contact=target, position=last)
    return moved


def _mirror(contact: Contact) -> None:
    """Position 0's mirror columns (decision 0044) after rows moved."""
    email = contact.emails.order_by("position").first()
    phone = contact.phones.order_by("position").first()
    contact.email = email.email if email else ""
    contact.phone = phone.phone if phone else ""


def _ids(contact_id: int) -> list[int]:
    return list(Enquiry.objects.filter(contact_id=contact_id).values_list("pk", flat=True))


def _enquiries_of(contact_id: int, also: Enquiry | None) -> list[Enquiry]:
    ids = set(_ids(contact_id)) | ({also.pk} if also else set())
    return list(Enquiry.objects.filter(pk__in=ids).order_by("pk"))


def _history(
    enquiries: Iterable[Enquiry], *, kind: str, message: str, by: User, merge: Merge
) -> None:
    """On every enquiry concerned; private to the organisation (contact numbers and
    names of its own contacts)."""
    HistoryEntry.objects.bulk_create(
        entry(
            e,
            category=HistoryCategory.ACTION,
            kind=kind,
            message=message,
            actor=by,
            data={"merge": merge.pk},
            private_to=by.organisation,
        )
        for e in enquiries
    )


def _log(contact: Contact, by: User, message: str, fields: list[str]) -> None:
    ContactChange.objects.create(
        contact=contact,
        at=timezone.now(),
        actor=by,
        organisation=by.organisation,
        kind="merge",
        message=message,
        fields=fields,
    )


def _decide(candidates: Iterable[Candidate], decision: Decision, by: User) -> None:
    ids = [c.pk for c in candidates]
    Candidate.objects.filter(pk__in=ids).update(
        decision=decision, decided_at=timezone.now(), decided_by=by
    )
