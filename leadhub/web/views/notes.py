"""Notes (C3: add; edit and remove your own), tags (C5), project data (C8) and "mark as
unread" (C7) from the enquiry page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from leadhub.enquiries.notes import NoteRefused, add_note, edit_note, remove_note
from leadhub.enquiries.project import ProjectRefused, update_project
from leadhub.enquiries.queries import enquiry_for_user, may_work
from leadhub.enquiries.reading import mark_unread
from leadhub.enquiries.tags import TagRefused, tag, untag

from ..forms import ProjectForm
from .common import acting_on, back_to, current_user


@login_required
@require_POST
def note(
    request: HttpRequest, number: str, note_id: int | None = None, remove: bool = False
) -> HttpResponse:
    user, enquiry, _access = acting_on(request, number, may_work)
    text = request.POST.get("text", "")
    try:
        if note_id is None:
            add_note(enquiry, by=user, text=text)
        elif remove:
            remove_note(enquiry, note_id, by=user, now=timezone.now())
        else:
            edit_note(enquiry, note_id, by=user, text=text, now=timezone.now())
    except NoteRefused as exc:
        messages.error(request, str(exc))
    return back_to(number)


@login_required
@require_POST
def tags(request: HttpRequest, number: str) -> HttpResponse:
    user, enquiry, _access = acting_on(request, number, may_work)
    try:
        if request.POST.get("remove"):
            untag(enquiry, request.POST["remove"], by=user)
        else:
            tag(enquiry, request.POST.get("name", ""), by=user)
    except TagRefused as exc:
        messages.error(request, str(exc))
    return back_to(number)


@login_required
@require_POST
def project(request: HttpRequest, number: str) -> HttpResponse:
    user, enquiry, _access = acting_on(request, number, may_work)
    form = ProjectForm(request.POST)
    if form.is_valid():
        try:
            update_project(enquiry, by=user, now=timezone.now(), values=form.cleaned_data)
        except ProjectRefused as exc:
            messages.error(request, str(exc))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(str(e) for e in errors)}")
    return back_to(number)


@login_required
@require_POST
def unread(request: HttpRequest, number: str) -> HttpResponse:
    """C7: keep it unread for me; back to the list, where it shows bold again."""
    user = current_user(request)
    enquiry, _access = enquiry_for_user(user, number)
    mark_unread(user, enquiry)
    return redirect("enquiry-list")
