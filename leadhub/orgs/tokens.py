"""Personal API tokens: issued once, stored as SHA-256 digests."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from .models import ApiToken, User

PREFIX = "lh_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> str:
    token = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=digest(token))
    return token


def user_for_token(token: str) -> User | None:
    if not token.startswith(PREFIX):
        return None
    found = (
        ApiToken.objects.select_related("user__organisation").filter(digest=digest(token)).first()
    )
    if found is None or not found.user.is_active:
        return None
    # Coarse last-use stamp: one write per hour at most, not one per request.
    now = timezone.now()
    if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 3600:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
