"""The task backend: django_tasks_db's, writing its task row as intake writes its own rows.

Intake enqueues the offer e-mail in its transaction (enqueue.py); the library's
`objects.create` compiled an InsertQuery for that one row on every delivery, so the row
goes through lib.inserts instead, with what the library's pre_save signal would set
(`run_after`: "now" is the far future, signal_handlers.set_run_after). Everything else is
the library's; tests/test_backend.py compares the rows both write."""

from __future__ import annotations

from typing import Any

from django_tasks_db import DatabaseBackend as LibraryBackend
from django_tasks_db.compat import Task, normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max

from leadhub.lib.inserts import insert


class DatabaseBackend(LibraryBackend):
    def _task_to_db_task(
        self, task: Task[Any, Any], args: Any, kwargs: Any
    ) -> DBTaskResult[Any, Any]:
        row: DBTaskResult[Any, Any] = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after or get_date_max(),
            backend_name=self.alias,
        )
        insert([row])
        return row
