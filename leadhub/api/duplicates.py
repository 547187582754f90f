"""Duplicates through the API (D1): an enquiry's possible duplicates, and the decisions:
link, merge, not a duplicate, undo a merge. As on the pages, anything outside the user's
organisation and rights answers 404."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from leadhub.contacts.queries import contact_to_edit
from leadhub.duplicates.actions import (
    keep_apart,
    link_to_contact,
    merge_contacts,
    undo_merge,
)
from leadhub.duplicates.models import Candidate, Merge
from leadhub.duplicates.queries import (
    candidate_for_user,
    candidates_for,
    may_merge,
    merge_for_user,
)
from leadhub.enquiries.queries import Access, enquiry_for_user

from .auth import current_user, user_auth
from .schemas import ErrorOut

router = Router(tags=["duplicates"], auth=user_auth)


class CandidateOut(Schema):
    id: int
    kind: str  # contact, enquiry (a contact with an open enquiry) or referral
    score: int
    reasons: list[str]
    contact_id: int | None
    contact_name: str
    open_enquiry: str | None
    referral_id: int | None


class DuplicatesOut(Schema):
    enquiry: str
    contact_id: int
    candidates: list[CandidateOut]


class MergeOut(Schema):
    id: int
    kept_id: int
    merged_id: int
    at: datetime
    undone_at: datetime | None


class LinkOut(Schema):
    enquiry: str
    contact_id: int


class MergeIn(Schema):
    keep: int  # contact id
    merge: int  # contact id, merged into `keep`


def _candidate(c: Candidate) -> CandidateOut:
    return CandidateOut(
        id=c.pk,
        kind=c.kind,
        score=c.score,
        reasons=list(c.reasons),
        contact_id=c.contact_id,
        contact_name=str(c.referral.client_name if c.referral else c.contact),
        open_enquiry=c.open_enquiry.number if c.open_enquiry else None,
        referral_id=c.referral_id,
    )


def _merge(m: Merge) -> MergeOut:
    return MergeOut(
        id=m.pk, kept_id=m.kept_id, merged_id=m.merged_id, at=m.at, undone_at=m.undone_at
    )


@router.get(
    "/enquiries/{enquirynumber:number}/duplicates",
    response={200: DuplicatesOut, 404: ErrorOut},
    summary="An enquiry's possible duplicates",
)
def get_duplicates(request: HttpRequest, number: str) -> DuplicatesOut:
    user = current_user(request)
    enquiry, access = enquiry_for_user(user, number)
    if access is not Access.OWNER:  # an offer's preview, a brand following: nothing to see
        raise Http404("No such enquiry.")
    return DuplicatesOut(
        enquiry=enquiry.number,
        contact_id=enquiry.contact_id,
        candidates=[_candidate(c) for c in candidates_for(user, access, enquiry)],
    )


@router.post(
    "/duplicates/{int:candidate_id}/link",
    response={200: LinkOut, 404: ErrorOut, 409: ErrorOut},
    summary="Link the enquiry to the candidate contact",
)
def post_link(request: HttpRequest, candidate_id: int) -> object:
    user = current_user(request)
    candidate = candidate_for_user(user, candidate_id)
    enquiry = link_to_contact(candidate, by=user)
    return LinkOut(enquiry=enquiry.number, contact_id=enquiry.contact_id)


@router.post(
    "/duplicates/{int:candidate_id}/merge",
    response={200: MergeOut, 404: ErrorOut, 409: ErrorOut},
    summary="Merge the enquiry's contact into the candidate contact",
)
def post_merge(request: HttpRequest, candidate_id: int) -> object:
    user = current_user(request)
    candidate = candidate_for_user(user, candidate_id)
    if candidate.contact is None:
        return Status(409, ErrorOut(detail="A referral cannot be merged."))
    merge = merge_contacts(
        candidate.contact, candidate.enquiry.contact, by=user, enquiry=candidate.enquiry
    )
    return _merge(merge)


@router.post(
    "/duplicates/{int:candidate_id}/not-duplicate",
    response={200: CandidateOut, 404: ErrorOut, 409: ErrorOut},
    summary="Not a duplicate (remembered)",
)
def post_not_duplicate(request: HttpRequest, candidate_id: int) -> object:
    user = current_user(request)
    candidate = candidate_for_user(user, candidate_id)
    keep_apart(candidate, by=user)
    return _candidate(candidate)


@router.post(
    "/duplicates/merges",
    response={200: MergeOut, 404: ErrorOut, 409: ErrorOut},
    summary="Merge two contacts (the compare view's merge)",
)
def post_merge_contacts(request: HttpRequest, body: MergeIn) -> object:
    user = current_user(request)
    keep = contact_to_edit(user, body.keep)
    gone = contact_to_edit(user, body.merge)
    if not may_merge(user):
        return Status(404, ErrorOut(detail="Not found."))
    merge = merge_contacts(keep, gone, by=user)
    return _merge(merge)


@router.post(
    "/duplicates/merges/{int:merge_id}/undo",
    response={200: MergeOut, 404: ErrorOut, 409: ErrorOut},
    summary="Undo a merge",
)
def post_undo(request: HttpRequest, merge_id: int) -> object:
    user = current_user(request)
    merge = merge_for_user(user, merge_id)
    merge = undo_merge(merge, by=user)
    return _merge(merge)
