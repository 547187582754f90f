"""Read / unread per user (C7), and the marker "changed by someone else".

An enquiry is unread for a user when it changed (its `updated_at`) after the user last
opened it. Writers keep `updated_at` current: the pipeline, routing, hand-offs, notes, tags.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from leadhub.orgs.models import User

from .models import Enquiry, HistoryEntry, ReadMark


def mark_read(user: User, enquiry: Enquiry, now: datetime) -> None:
    ReadMark.objects.update_or_create(user=user, enquiry=enquiry, defaults={"read_at": now})


def mark_unread(user: User, enquiry: Enquiry) -> None:
    """Back to unread for `user` ("look at it again later"); no one else is affected."""
    ReadMark.objects.filter(user=user, enquiry=enquiry).delete()


def with_read_at(qs: QuerySet[Enquiry], user: User) -> QuerySet[Enquiry]:
    """Annotate `read_at` (None: never opened): enough for `unread`."""
    return qs.annotate(
        read_at=Subquery(
            ReadMark.objects.filter(user=user, enquiry=OuterRef("pk")).values("read_at")[:1]
        )
    )


def with_read_state(qs: QuerySet[Enquiry], user: User) -> QuerySet[Enquiry]:
    """Annotate `read_at` and `last_actor_id` (who wrote the latest entry)."""
    return with_read_at(qs, user).annotate(
        last_actor_id=Subquery(
            HistoryEntry.objects.filter(enquiry=OuterRef("pk"))
            .order_by("-at", "-id")
            .values("actor_id")[:1]
        ),
    )


def unread(qs: QuerySet[Enquiry]) -> QuerySet[Enquiry]:
    """Of a `with_read_at` queryset: those changed since the user last opened them."""
    return qs.filter(Q(read_at__isnull=True) | Q(read_at__lt=F("updated_at")))


def is_unread(enquiry: Enquiry) -> bool:
    read_at = getattr(enquiry, "read_at", None)
    return read_at is None or read_at < enquiry.updated_at


def changed_by_someone_else(enquiry: Enquiry, user: User) -> bool:
    """The user's own enquiry changed since they looked, and not by them (C7)."""
    last_actor = getattr(enquiry, "last_actor_id", None)
    return (
        enquiry.assigned_user_id == user.pk
        and getattr(enquiry, "read_at", None) is not None
        and is_unread(enquiry)
        and last_actor not in (None, user.pk)
    )


def touch(enquiry: Enquiry, now: datetime) -> None:
    """Record that the enquiry changed (for writers that do not save the enquiry itself)."""
    Enquiry.objects.filter(pk=enquiry.pk).update(updated_at=now)
