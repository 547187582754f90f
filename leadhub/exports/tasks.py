"""The export task, run by `leadhub db_worker` once the export's row committed."""

from __future__ import annotations

from django_tasks import task

from .actions import run


@task()
def run_export(export_id: int) -> str:
    return run(export_id)
