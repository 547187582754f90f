"""Events (A9): brand admins manage them; organisers and brand admins share the participant
list through private links; whoever has a live link reads the list (page or xlsx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadhub.events.actions import EventRefused, create_link, revoke_link, save_event
from leadhub.events.models import Event, ParticipantLink
from leadhub.events.participants import live_link, participants_of, xlsx_of
from leadhub.events.queries import event_for_user, events_for, is_brand_admin

from ..event_forms import EventForm, organiser_value
from .common import current_user


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    context = {"events": events_for(user), "may_create": is_brand_admin(user)}
    return render(request, "web/events.html", context)


def _managed(request: HttpRequest, event_id: int) -> Event:
    event = event_for_user(current_user(request), event_id)
    if event is None:
        raise Http404
    return event


@login_required
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _managed(request, event_id)
    rows = participants_of(event)
    context = {
        "event": event,
        "participants": rows,
        "booked": sum(p.count for p in rows if not p.waitlisted),
        "links": event.links.select_related("created_by"),
        "may_edit": is_brand_admin(current_user(request))
        and event.brand_id == current_user(request).organisation_id,
    }
    return render(request, "web/event_detail.html", context)


@login_required
def event_edit(request: HttpRequest, event_id: int | None = None) -> HttpResponse:
    user = current_user(request)
    if not is_brand_admin(user):
        raise Http404
    assert user.organisation is not None
    event = None
    if event_id is not None:
        event = Event.objects.filter(pk=event_id, brand=user.organisation).first()
        if event is None:
            raise Http404
    initial = {}
    if event is not None:
        initial = {
            "key": event.key,
            "title": event.title,
            "starts_at": event.starts_at,
            "place": event.place,
            "organiser": organiser_value(event),
            "capacity": event.capacity,
        }
    form = EventForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        brand=user.organisation,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            event = save_event(
                event,
                brand=user.organisation,
                key=d["key"],
                title=d["title"],
                starts_at=d["starts_at"],
                place=d["place"],
                organiser=form.chosen_organiser(),
                capacity=d["capacity"],
            )
        except EventRefused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("event-detail", event_id=event.pk)
    return render(request, "web/event_edit.html", {"form": form, "event": event})


@login_required
@require_POST
def link_create(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _managed(request, event_id)
    link = create_link(event, by=current_user(request), label=request.POST.get("label", ""))
    url = request.build_absolute_uri(reverse("participants", kwargs={"secret": link.secret}))
    messages.success(request, _("New participant-list link: %(url)s") % {"url": url})
    return redirect("event-detail", event_id=event.pk)


@login_required
@require_POST
def link_revoke(request: HttpRequest, event_id: int, link_id: int) -> HttpResponse:
    event = _managed(request, event_id)
    link = ParticipantLink.objects.filter(pk=link_id, event=event).first()
    if link is None:
        raise Http404
    revoke_link(link)
    messages.success(request, _("The link no longer opens the list."))
    return redirect("event-detail", event_id=event.pk)


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


def participants(request: HttpRequest, secret: str) -> HttpResponse:
    """No login: the link is the key, until revoked (then 404)."""
    link = live_link(secret)
    if link is None:
        raise Http404(_("This link is no longer valid."))
    rows = participants_of(link.event)
    context = {
        "event": link.event,
        "participants": rows,
        "booked": sum(p.count for p in rows if not p.waitlisted),
        "secret": secret,
    }
    return _private(render(request, "web/participants.html", context))


def participants_xlsx(request: HttpRequest, secret: str) -> HttpResponse:
    link = live_link(secret)
    if link is None:
        raise Http404(_("This link is no longer valid."))
    body = xlsx_of(link.event, participants_of(link.event))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="participants-{link.event.key}.xlsx"'
    return _private(response)
