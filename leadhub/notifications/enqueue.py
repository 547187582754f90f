"""Enqueueing side effects of a write so that they happen if and only if it commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend


def enqueue_with_commit(task: Task[Any, Any], *args: Any) -> None:
    """With the database task backend the task row is written in the current transaction:
    it commits or rolls back with the data it is about, and costs no second commit (the
    intake benchmark showed that commit). Any other backend (Redis, say) could run the
    task before our commit, so there it is enqueued on commit."""
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))
