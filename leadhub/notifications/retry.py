"""One back-off for every e-mail task: 1, 2, 4 ... minutes, then give up loudly."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks.base import Task

MAX_ATTEMPTS = 8


def retry_later(task: Task[Any, Any], *args: Any, attempt: int, what: str) -> timedelta:
    """Enqueue `task(*args, attempt + 1)` after the back-off for `attempt`; after
    MAX_ATTEMPTS raise instead, so the worker records the failure."""
    if attempt >= MAX_ATTEMPTS:
        raise RuntimeError(f"{what} failed {attempt} times; giving up")
    delay = timedelta(minutes=2 ** (attempt - 1))
    task.using(run_after=timezone.now() + delay).enqueue(*args, attempt + 1)
    return delay
