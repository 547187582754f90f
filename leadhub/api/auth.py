"""API authentication: personal bearer tokens, or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from leadhub.orgs.models import User
from leadhub.orgs.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


def current_user(request: HttpRequest) -> User:
    user: Any = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


user_auth = [TokenAuth(), SessionAuth()]
