"""The interface language: a logged-in user's own setting, else the browser's choice.

The footer's switcher saves the choice on the user (web.views.set_language), so it
follows them to other browsers and never leaks to the next person on a shared one.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language in self.available:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
