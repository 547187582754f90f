"""Web pages: short function views; every one starts from an access-checked query."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from leadhub.enquiries.pagination import BadCursor, by_due_date
from leadhub.enquiries.queries import (
    counters,
    enquiry_for_user,
    history_for_user,
    visible_enquiries,
)
from leadhub.orgs.models import User

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def home(request: HttpRequest) -> HttpResponse:
    return redirect("enquiry-list")


@login_required
def enquiry_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    tab = request.GET.get("tab", "all")
    qs = visible_enquiries(user).select_related("contact", "channel", "assigned_user")
    if tab == "mine":
        qs = qs.filter(assigned_user=user)
    elif tab == "queue":
        qs = qs.filter(assigned_user__isnull=True)
    else:
        tab = "all"
    try:
        page = by_due_date(qs, cursor=request.GET.get("cursor"), limit=PAGE_SIZE)
    except BadCursor:
        return redirect(f"{request.path}?tab={tab}")
    context = {
        "page": page,
        "tab": tab,
        "counters": counters(user),
        "now": timezone.now(),
    }
    template = "web/enquiry_list.html"
    if getattr(request, "htmx", False):
        template += "#rows"
    return render(request, template, context)


@login_required
def enquiry_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    enquiry = enquiry_for_user(user, number)
    history = list(history_for_user(user, enquiry))
    return render(
        request,
        "web/enquiry_detail.html",
        {"enquiry": enquiry, "contact": enquiry.contact, "history": history, "now": timezone.now()},
    )
