"""Actions on offers and hand-offs: accept, reject, route again, take over."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadhub.enquiries.queries import may_dispatch, may_react_to_offer
from leadhub.enquiries.takeover import TakeOverRefused, may_take_over, take_over
from leadhub.routing.actions import HandOffError, accept_offer, reject_offer, route

from ..forms import RejectForm
from .common import acting_on, back_to
from .enquiries import render_preview


@login_required
@require_POST
def accept(request: HttpRequest, number: str) -> HttpResponse:
    user, enquiry, _access = acting_on(request, number, may_react_to_offer)
    try:
        accept_offer(enquiry, by=user, now=timezone.now())
    except HandOffError as exc:
        messages.error(request, str(exc))
        return redirect("enquiry-list")
    messages.success(request, _("Accepted: the enquiry is yours now."))
    return back_to(number)


@login_required
@require_POST
def reject(request: HttpRequest, number: str) -> HttpResponse:
    user, enquiry, _access = acting_on(request, number, may_react_to_offer)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return render_preview(request, enquiry, form, may_react=True, status=400)
    try:
        reject_offer(enquiry, by=user, reason=form.cleaned_data["reason"], now=timezone.now())
    except HandOffError as exc:
        messages.error(request, str(exc))
        return redirect("enquiry-list")
    messages.success(request, _("Rejected: the enquiry went back to the brand."))
    return redirect("enquiry-list")


@login_required
@require_POST
def route_again(request: HttpRequest, number: str) -> HttpResponse:
    user, enquiry, _access = acting_on(request, number, may_dispatch)
    try:
        routed = route(enquiry, now=timezone.now(), occasion="by hand", actor=user)
    except HandOffError as exc:
        messages.error(request, str(exc))
        return back_to(number)
    messages.success(request, routed.explanation)
    return back_to(number)


@login_required
@require_POST
def take_over_(request: HttpRequest, number: str) -> HttpResponse:
    user, enquiry, _access = acting_on(request, number, may_take_over)
    try:
        take_over(enquiry, by=user, now=timezone.now())
    except TakeOverRefused as exc:
        messages.error(request, str(exc))
        return back_to(number)
    messages.success(request, _("You took the enquiry over; its previous owner was notified."))
    return back_to(number)
