"""Working an enquiry through the API: pipeline actions and notes."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils import timezone
from ninja import Status

from leadhub.enquiries.bulk_actions import perform_bulk
from leadhub.enquiries.customer import ConversionRefused, convert
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.notes import NoteRefused, add_note, edit_note, remove_note
from leadhub.enquiries.pipeline import AMOUNT_FIELDS, ActionInput, ActionRefused, perform
from leadhub.enquiries.project import ProjectRefused, update_project
from leadhub.enquiries.queries import (
    enquiry_for_user,
    may_work,
)
from leadhub.enquiries.reading import mark_unread
from leadhub.enquiries.states import TransitionError
from leadhub.enquiries.tags import TagRefused, tag, untag
from leadhub.orgs.models import OrgUnit, User

from .auth import current_user
from .enquiries import NUMBER, acting_on, detail_for, router
from .schemas import (
    ActionIn,
    BulkIn,
    BulkOut,
    CustomerIn,
    EnquiryDetailOut,
    ErrorOut,
    NoteIn,
    ProjectIn,
    TagIn,
)


@router.post(
    NUMBER + "/actions/{action}",
    response={200: EnquiryDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Take a pipeline action (start, appointment, deliver_quote, order, close, reopen, ...)",
)
def take_action(request: HttpRequest, number: str, action: str, body: ActionIn) -> object:
    """Refused with 409 when the action does not fit the enquiry's status (the message says
    which actions do), with 422 when its input is incomplete or wrong."""
    user, enquiry, access = acting_on(request, number, may_work)
    showroom = None
    if body.showroom:
        showroom = OrgUnit.objects.filter(key=body.showroom, organisation=user.organisation).first()
        if showroom is None:
            return Status(422, {"detail": f"{body.showroom!r} is not one of your units."})
    values = {k: v for k in AMOUNT_FIELDS if (v := getattr(body, k)) is not None}
    data = ActionInput(
        at=body.at,
        in_days=body.in_days,
        place=body.place,
        showroom=showroom,
        reason_group=body.reason_group,
        reason=body.reason,
        values=values,
    )
    try:
        perform(enquiry, action, by=user, now=timezone.now(), data=data)
    except TransitionError as exc:
        return Status(409, {"detail": str(exc)})
    except ActionRefused as exc:
        return Status(422, {"detail": str(exc)})
    enquiry, access = enquiry_for_user(user, number)
    return detail_for(user, enquiry, access)


def _change(
    request: HttpRequest,
    number: str,
    change: Callable[[User, Enquiry], object],
    *,
    status: int = 200,
) -> object:
    """Apply `change` to an enquiry the user works; 422 with the reason when it is refused."""
    user, enquiry, access = acting_on(request, number, may_work)
    try:
        change(user, enquiry)
    except (NoteRefused, TagRefused, ProjectRefused, ConversionRefused) as exc:
        return Status(422, {"detail": str(exc)})
    enquiry, access = enquiry_for_user(user, number)  # as the change left it
    return Status(status, detail_for(user, enquiry, access))


WRITES = {200: EnquiryDetailOut, 201: EnquiryDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.post(NUMBER + "/notes", response=WRITES, summary="Add a note")
def add_note_(request: HttpRequest, number: str, body: NoteIn) -> object:
    return _change(request, number, lambda u, e: add_note(e, by=u, text=body.text), status=201)


@router.patch(NUMBER + "/notes/{int:note_id}", response=WRITES, summary="Edit your own note")
def edit_note_(request: HttpRequest, number: str, note_id: int, body: NoteIn) -> object:
    return _change(
        request,
        number,
        lambda u, e: edit_note(e, note_id, by=u, text=body.text, now=timezone.now()),
    )


@router.delete(NUMBER + "/notes/{int:note_id}", response=WRITES, summary="Remove your own note")
def remove_note_(request: HttpRequest, number: str, note_id: int) -> object:
    return _change(request, number, lambda u, e: remove_note(e, note_id, by=u, now=timezone.now()))


@router.post(NUMBER + "/tags", response=WRITES, summary="Tag an enquiry (created on first use)")
def add_tag(request: HttpRequest, number: str, body: TagIn) -> object:
    return _change(request, number, lambda u, e: tag(e, body.name, by=u))


@router.delete(NUMBER + "/tags/{name}", response=WRITES, summary="Remove a tag from an enquiry")
def remove_tag(request: HttpRequest, number: str, name: str) -> object:
    return _change(request, number, lambda u, e: untag(e, name, by=u))


@router.patch(NUMBER + "/project", response=WRITES, summary="Change project data (C8)")
def change_project(request: HttpRequest, number: str, body: ProjectIn) -> object:
    values = body.dict(exclude_none=True)
    return _change(
        request, number, lambda u, e: update_project(e, by=u, now=timezone.now(), values=values)
    )


@router.post(NUMBER + "/customer", response=WRITES, summary="Convert to customer (C11)")
def convert_to_customer(request: HttpRequest, number: str, body: CustomerIn) -> object:
    return _change(
        request,
        number,
        lambda u, e: convert(
            e,
            by=u,
            now=timezone.now(),
            import_contact=body.import_contact,
            customer_number=body.customer_number,
        ),
    )


@router.post(
    NUMBER + "/unread",
    response={204: None, 404: ErrorOut},
    summary="Mark as unread for you (C7)",
)
def mark_unread_(request: HttpRequest, number: str) -> Status[None]:
    user = current_user(request)
    enquiry, _access = enquiry_for_user(user, number)
    mark_unread(user, enquiry)
    return Status(204, None)


@router.post(
    "/bulk", response={200: BulkOut, 422: ErrorOut}, summary="One action on several enquiries"
)
def bulk(request: HttpRequest, body: BulkIn) -> object:
    """All or nothing per enquiry; each row says what happened (C6)."""
    user = current_user(request)
    data = ActionInput(reason_group=body.reason_group, reason=body.reason)
    numbers = [n.replace("-", "/", 1) for n in body.numbers]
    try:
        rows = perform_bulk(numbers, body.action, by=user, now=timezone.now(), data=data)
    except ActionRefused as exc:
        return Status(422, {"detail": str(exc)})
    return {"results": [{"number": r.number, "ok": r.ok, "detail": r.detail} for r in rows]}
