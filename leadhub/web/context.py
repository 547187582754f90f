"""Template context for every page."""

from __future__ import annotations

from django.http import HttpRequest

from leadhub.notifications.models import Notice


def notices(request: HttpRequest) -> dict[str, int]:
    """G4: the number of unread notices, for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": Notice.objects.filter(user=user, read_at__isnull=True).count()}
