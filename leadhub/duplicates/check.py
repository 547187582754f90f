"""The worker's side: claim a pending check, refresh the contact's keys, store what
retrieval found. Each check is one transaction; a repeat replaces the open candidates
and keeps the decided ones (decision 0048)."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from leadhub.enquiries.models import Enquiry

from . import index
from .models import Candidate, Decision, PendingCheck
from .retrieval import Found, emails_and_phones, find


def run_pending(*, limit: int = 100) -> int:
    """Run up to `limit` waiting checks, oldest first; answers how many ran."""
    done = 0
    while done < limit and _run_one():
        done += 1
    return done


def _run_one() -> bool:
    with transaction.atomic():
        waiting = PendingCheck.objects.filter(done_at=None).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            # N workers share the queue; the joined rows are only read.
            waiting = waiting.select_for_update(skip_locked=True, of=("self",))
        pending = waiting.select_related(
            "organisation", "enquiry__contact", "enquiry__owner"
        ).first()
        if pending is None:
            return False
        enquiry = pending.enquiry
        # Only for the organisation that controls it now (an offer accepted meanwhile
        # queued a check of its own for the partner).
        if enquiry is not None and enquiry.owner_id == pending.organisation_id:
            check_enquiry(enquiry)
        pending.done_at = timezone.now()
        pending.save(update_fields=["done_at"])
    return True


@transaction.atomic(savepoint=False)
def check_enquiry(enquiry: Enquiry) -> list[Candidate]:
    """Check `enquiry`'s contact among what its owner organisation owns; store and answer
    the open candidates."""
    organisation = enquiry.owner
    contact = enquiry.contact
    emails, phones = emails_and_phones(contact)
    index.refresh_one(contact, emails, phones)
    found = find(contact, organisation, enquiry=enquiry, emails_phones=(emails, phones))
    stale = list(Candidate.objects.filter(enquiry=enquiry, organisation=organisation).order_by())
    seen = {(c.contact_id, c.referral_id) for c in stale if c.decision != Decision.OPEN}
    gone = [c.pk for c in stale if c.decision == Decision.OPEN]
    if gone:
        Candidate.objects.filter(pk__in=gone).delete()
    rows = [_row(enquiry, f) for f in found if _pair(f) not in seen]
    return Candidate.objects.bulk_create(rows) if rows else []


def _pair(f: Found) -> tuple[int | None, int | None]:
    return (f.contact.pk if f.contact else None, f.referral.pk if f.referral else None)


def _row(enquiry: Enquiry, f: Found) -> Candidate:
    return Candidate(
        enquiry=enquiry,
        organisation=enquiry.owner,
        contact=f.contact,
        open_enquiry=f.open_enquiry,
        referral=f.referral,
        score=f.match.score,
        reasons=list(f.match.reasons),
    )
