"""Reads of duplicates, with access (decision 0048). A candidate belongs to the
organisation it was found for, and is shown only to that organisation's users who see
the enquiry in full and the candidate contact (or referral); everyone else gets 404."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from leadhub.contacts.queries import contact_to_edit, visible_contacts
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import REACT_ROLES, Access, may_work, visible_enquiries
from leadhub.orgs.models import User
from leadhub.referrals.queries import referrals_for_user

from .merged import merged_away
from .models import Candidate, Decision, Merge

ADMIN_PAGE = 100


def _seen(user: User, qs: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """Only candidates the user could open: contact visible to them, or a referral of
    their brand they may see; enquiry still owned by their organisation. Not a contact
    merged away since it was found (linking to it would hang the enquiry on an empty
    record); undoing the merge shows it again."""
    org = user.organisation_id
    if org is None:
        return Candidate.objects.none()
    contact_seen = Exists(visible_contacts(user).filter(pk=OuterRef("contact_id")))
    referral_seen = Exists(referrals_for_user(user).filter(pk=OuterRef("referral_id")))
    enquiry_seen = Exists(visible_enquiries(user).filter(pk=OuterRef("enquiry_id"), owner_id=org))
    return (
        qs.filter(organisation_id=org)
        .filter(enquiry_seen)
        .filter(contact_seen | referral_seen)
        .exclude(merged_away("contact_id"))
    )


def candidates_for(user: User, access: Access, enquiry: Enquiry) -> list[Candidate]:
    """The enquiry page's "Possible duplicates": only for its owner's users."""
    if access is not Access.OWNER:
        return []
    qs = Candidate.objects.filter(enquiry=enquiry, decision=Decision.OPEN)
    return list(
        _seen(user, qs)
        .select_related("contact", "open_enquiry", "referral")
        .order_by("-score", "id")[:20]
    )


def candidate_for_user(user: User, candidate_id: int) -> Candidate:
    """A candidate the user may decide on: 404 otherwise (no existence leak)."""
    qs = Candidate.objects.filter(pk=candidate_id)
    candidate = _seen(user, qs).select_related("enquiry", "contact", "referral").first()
    if candidate is None or not may_work(user, Access.OWNER, candidate.enquiry):
        raise Http404("No such duplicate.")
    return candidate


def merge_for_user(user: User, merge_id: int) -> Merge:
    """A merge the user may undo: their organisation's, both contacts theirs to edit."""
    org = user.organisation_id
    merge = Merge.objects.filter(pk=merge_id, organisation_id=org).first() if org else None
    if merge is None or not user.has_role(*REACT_ROLES):
        raise Http404("No such merge.")
    contact_to_edit(user, merge.kept_id)
    contact_to_edit(user, merge.merged_id)
    return merge


def may_merge(user: User) -> bool:
    return user.has_role(*REACT_ROLES)


def may_see_all(user: User) -> bool:
    """The admins' duplicates view (H1)."""
    return user.organisation_id is not None and user.has_role("admin")


def waiting(user: User, *, offset: int = 0) -> list[Candidate]:
    """The organisation's pairs waiting for a decision, newest first."""
    if not may_see_all(user):
        raise Http404("No such page.")
    qs = Candidate.objects.filter(decision=Decision.OPEN)
    return list(
        _seen(user, qs)
        .select_related("enquiry", "enquiry__contact", "contact", "referral", "open_enquiry")
        .order_by("-found_at", "-id")[offset : offset + ADMIN_PAGE]
    )


def merges_on(user: User, enquiry: Enquiry) -> list[Merge]:
    """Live merges of the enquiry's contact, to undo from the page."""
    if user.organisation_id != enquiry.owner_id:
        return []
    return list(
        Merge.objects.filter(
            Q(kept_id=enquiry.contact_id) | Q(merged_id=enquiry.contact_id),
            organisation_id=user.organisation_id,
            undone_at=None,
        )
        .select_related("kept", "merged")
        .order_by("-at")[:10]
    )
