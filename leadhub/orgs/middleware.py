"""Activate the logged-in user's preferred language unless they picked one in this session."""

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
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language in self.available and not chosen:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
