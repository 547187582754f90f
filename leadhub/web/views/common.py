"""What every view needs: the logged-in user, and an enquiry the user may act on."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import Access, enquiry_for_user
from leadhub.orgs.models import User


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def acting_on(
    request: HttpRequest, number: str, allowed: Callable[[User, Access, Enquiry], bool]
) -> tuple[User, Enquiry, Access]:
    """The user and the enquiry, if the user may take this action on it; 404 otherwise."""
    user = current_user(request)
    enquiry, access = enquiry_for_user(user, number)
    if not allowed(user, access, enquiry):
        raise Http404
    return user, enquiry, access


def back_to(number: str, section: str = "") -> HttpResponse:
    """The enquiry page, scrolled to `section` (an element id) if given."""
    url = reverse("enquiry-detail", kwargs={"number": number})
    return redirect(f"{url}#{section}" if section else url)
