"""Our task backend writes the same task row as django_tasks_db's own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django_tasks_db import DatabaseBackend as LibraryBackend
from django_tasks_db.models import DBTaskResult

from leadhub.notifications.backend import DatabaseBackend
from leadhub.notifications.tasks import send_offer_emails

pytestmark = pytest.mark.django_db

LATER = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)


def row(backend_class: type[LibraryBackend], **task_options: Any) -> dict[str, Any]:
    backend: Any = backend_class("default", {})  # (typed for django.tasks, not django_tasks)
    task = send_offer_emails.using(**task_options) if task_options else send_offer_emails
    result = backend.enqueue(task, [7, 8], {"attempt": 2})
    stored: dict[str, Any] = dict(DBTaskResult.objects.filter(pk=result.id).values().get())
    assert abs((stored.pop("enqueued_at") - datetime.now(UTC)).total_seconds()) < 60
    stored.pop("id")
    return stored


@pytest.mark.parametrize("options", [{}, {"run_after": LATER, "priority": 10}])
def test_the_task_row_is_the_librarys(options: dict[str, Any]) -> None:
    assert row(DatabaseBackend, **options) == row(LibraryBackend, **options)


def test_a_task_without_a_time_runs_now_as_the_library_marks_it() -> None:
    backend: Any = DatabaseBackend("default", {})
    result = backend.enqueue(send_offer_emails, [1], {})
    assert DBTaskResult.objects.ready().filter(pk=result.id).exists()
    assert result.task.run_after is None
