"""Large exports: a row and a task, progress while it runs, the owner's download only,
the sweeper failing those whose worker died and removing old files."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadhub.exports import actions
from leadhub.exports.actions import expire_old, fail_stalled, root
from leadhub.exports.models import WORKER_LOST, Export, ExportStatus
from leadhub.exports.tasks import run_export
from leadhub.testing.world import World, api_token, login

from .world import ExportWorld, build, numbers_in, xlsx_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world: World, settings: Any) -> ExportWorld:
    settings.EXPORT_SYNC_MAX_ROWS = 2  # the dispatcher's list has more: a task
    settings.EXPORT_BATCH_ROWS = 2
    return build(world)


def started(client: Client, query: str = "", key: str = "k1") -> Export:
    response = client.post(f"/enquiries/export/?{query}", {"format": "xlsx", "key": key})
    assert response.status_code == 302 and response["Location"] == "/exports/"
    return Export.objects.latest("id")


def test_a_large_export_runs_as_a_task_with_progress(
    data: ExportWorld, client: Client, monkeypatch: Any
) -> None:
    login(client, "dispatcher")
    on_screen = numbers_in(xlsx_rows(_sync(client)))
    export = started(client)
    assert export.status == ExportStatus.QUEUED and export.owner.username == "dispatcher"
    assert export.filters["filters"]["done"] is False and export.filters["sort"] == "due"
    task = DBTaskResult.objects.get(task_path__endswith="run_export")
    assert task.args_kwargs["args"] == [export.pk]
    page = client.get("/exports/").content.decode()
    assert "Queued" in page and 'hx-trigger="every 2s' in page and "<progress" in page

    seen: list[tuple[int, int | None]] = []  # (rows done, total) as others read them
    write_rows = actions.write_rows  # type: ignore[attr-defined]

    def watched(*args: Any, **kw: Any) -> int:
        report = kw["progress"]

        def progress(n: int) -> None:
            report(n)
            e = Export.objects.get(pk=export.pk)
            assert e.status == ExportStatus.RUNNING
            seen.append((e.rows_done, e.rows_total))

        return write_rows(*args, **kw | {"progress": progress})

    monkeypatch.setattr(actions, "write_rows", watched)
    assert run_export.call(export.pk) == f"{len(on_screen)} rows"
    assert seen == [(2, 4), (4, 4)]  # the dispatcher's open list: 4 rows, batches of 2
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.rows_done == 4
    assert (root() / export.file_path).is_file()
    assert run_export.call(export.pk) == "nothing to do"  # a repeated task changes nothing

    page = client.get("/exports/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in page and "hx-trigger" not in page  # done: polling stops
    assert f'href="/exports/{export.pk}/file/"' in page
    response = client.get(f"/exports/{export.pk}/file/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert numbers_in(xlsx_rows(content)) == on_screen


def _sync(client: Client) -> bytes:
    from django.test import override_settings

    with override_settings(EXPORT_SYNC_MAX_ROWS=100):
        response = client.post("/enquiries/export/", {"format": "xlsx"})
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_same_form_twice_starts_one_export(data: ExportWorld, client: Client) -> None:
    login(client, "dispatcher")
    first = started(client, key="same")
    assert started(client, key="same") == first
    assert Export.objects.count() == 1 and DBTaskResult.objects.count() == 1
    started(client, key="another")
    assert Export.objects.count() == 2


@pytest.mark.parametrize("username", ["other-user", "dealer-a-user", "sales"])
def test_only_the_owner_sees_or_downloads_an_export(
    data: ExportWorld, client: Client, username: str
) -> None:
    login(client, "dispatcher")
    export = started(client)
    run_export.call(export.pk)
    client.logout()
    login(client, username)  # another organisation, or a colleague: not theirs
    assert client.get(f"/exports/{export.pk}/file/").status_code == 404
    assert f"/exports/{export.pk}/file/" not in client.get("/exports/").content.decode()
    headers = api_token(client, username)
    assert client.get(f"/api/v1/exports/{export.pk}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/exports/{export.pk}/file", headers=headers).status_code == 404


def test_the_api_starts_polls_and_downloads(data: ExportWorld, client: Client) -> None:
    headers = api_token(client, "dispatcher") | {"Idempotency-Key": "api-1"}
    body = {"format": "csv"}  # open and done: six rows
    response = client.post(
        "/api/v1/exports", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 202, response.content
    export_id = response.json()["id"]
    assert response.json()["status"] == "queued" and response.json()["file_url"] is None
    again = client.post("/api/v1/exports", body, content_type="application/json", headers=headers)
    assert again.status_code == 202 and again.json()["id"] == export_id  # a retry: the same
    assert client.get(f"/api/v1/exports/{export_id}/file", headers=headers).status_code == 404
    run_export.call(export_id)
    status = client.get(f"/api/v1/exports/{export_id}", headers=headers).json()
    assert status["status"] == "done" and status["rows_done"] == status["rows_total"] == 6
    file = client.get(status["file_url"], headers=headers)
    text = b"".join(file.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert data.e["closed"].number in text and data.e["ordered"].number in text
    small = client.post(
        "/api/v1/exports",
        {"format": "xlsx", "background": True, "type": "sample"},
        content_type="application/json",
        headers=api_token(client, "dispatcher"),
    )
    assert small.status_code == 202  # asked for in the background, however small


def test_a_failed_export_says_so_and_leaves_no_file(
    data: ExportWorld, client: Client, monkeypatch: Any
) -> None:
    login(client, "dispatcher")
    export = started(client)

    def broken(*args: Any, **kw: Any) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(actions, "write_rows", broken)
    assert run_export.call(export.pk) == "failed: disk full"
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.error == "disk full"
    assert not list(Path(root()).rglob("*.part"))
    assert "disk full" in client.get("/exports/").content.decode()


def test_the_sweeper_removes_files_after_a_day(data: ExportWorld, client: Client) -> None:
    login(client, "dispatcher")
    old, new = started(client, key="a"), started(client, key="b")
    for e in (old, new):
        run_export.call(e.pk)
    Export.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    old.refresh_from_db()
    new.refresh_from_db()
    call_command("sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    old.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED and not (root() / old.file_path).exists()
    assert (root() / new.file_path).is_file()
    assert client.get(f"/exports/{old.pk}/file/").status_code == 404
    assert "Expired" in client.get("/exports/").content.decode()
    assert expire_old(timezone.now()) == 0  # nothing twice


class Killed(BaseException):
    """The worker's process ending mid-export (a kill, an OOM): nothing of run() after it
    runs, so the export is left as a dead worker leaves it."""


def _dies_after_the_first_batch(monkeypatch: Any) -> None:
    write_rows = actions.write_rows  # type: ignore[attr-defined]

    def dying(*args: Any, **kw: Any) -> int:
        def progress(n: int) -> None:
            kw["progress"](n)
            raise Killed

        return write_rows(*args, **kw | {"progress": progress})

    monkeypatch.setattr(actions, "write_rows", dying)


def _sweep(at: datetime) -> str:
    out = io.StringIO()
    call_command("sweep", "--at", at.isoformat(), stdout=out)
    return out.getvalue()


def test_an_export_whose_worker_died_fails_and_starts_again(
    data: ExportWorld, client: Client, monkeypatch: Any
) -> None:
    login(client, "dispatcher")
    export = started(client, "type=quote")
    _dies_after_the_first_batch(monkeypatch)
    with pytest.raises(Killed):
        run_export.call(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.RUNNING and export.rows_done == 2
    assert export.heartbeat_at is not None and export.started_at is not None
    assert export.heartbeat_at >= export.started_at  # the first batch beat
    assert len(list(Path(root()).rglob("*.part"))) == 1  # what the dead worker left

    beat = export.heartbeat_at
    assert "0 export(s) failed" in _sweep(beat + timedelta(minutes=9))  # quiet, not dead
    assert "1 export(s) failed" in _sweep(beat + timedelta(minutes=11))
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.error == WORKER_LOST
    assert export.finished_at is not None and not list(Path(root()).rglob("*.part"))
    assert "0 export(s) failed" in _sweep(beat + timedelta(minutes=12))  # nothing twice

    page = client.get("/exports/").content.decode()
    assert "Interrupted: the server stopped preparing this file" in page
    assert f'action="/exports/{export.pk}/again/"' in page and "hx-trigger" not in page

    monkeypatch.undo()
    response = client.post(f"/exports/{export.pk}/again/")
    assert response.status_code == 302 and response["Location"] == "/exports/"
    again = Export.objects.latest("id")
    assert again.pk != export.pk and again.status == ExportStatus.QUEUED
    assert (again.filters, again.format, again.language) == (
        export.filters,
        export.format,
        export.language,
    )
    client.post(f"/exports/{export.pk}/again/")  # a second click: the same export
    assert Export.objects.count() == 2
    run_export.call(again.pk)
    again.refresh_from_db()
    assert again.status == ExportStatus.DONE and again.rows_done == 3  # the open quotes

    assert client.post(f"/exports/{again.pk}/again/").status_code == 404  # not failed
    client.logout()
    login(client, "sales")  # a colleague: not theirs
    assert client.post(f"/exports/{export.pk}/again/").status_code == 404


def test_a_worker_given_up_on_stops_and_leaves_no_file(
    data: ExportWorld, client: Client, monkeypatch: Any
) -> None:
    """Alive after all (a very slow step): its next heartbeat finds the export failed."""
    login(client, "dispatcher")
    export = started(client)
    write_rows = actions.write_rows  # type: ignore[attr-defined]

    def slow(*args: Any, **kw: Any) -> int:
        def progress(n: int) -> None:
            if n == 2:  # the sweeper runs while this worker is between two heartbeats
                assert fail_stalled(timezone.now() + timedelta(hours=1)) == 1
            kw["progress"](n)

        return write_rows(*args, **kw | {"progress": progress})

    monkeypatch.setattr(actions, "write_rows", slow)
    assert run_export.call(export.pk) == "given up by the sweeper"
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.error == WORKER_LOST
    assert export.rows_done == 0  # the sweeper's verdict stands
    assert not [p for p in Path(root()).rglob("*") if p.is_file()]  # no part, no file


def test_exports_running_before_heartbeats_count_from_their_start(data: ExportWorld) -> None:
    export = Export.objects.create(
        owner=World.user("dispatcher"),
        organisation=data.world.brand,
        format="csv",
        status=ExportStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=2),
    )
    assert fail_stalled(timezone.now()) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.reason.startswith("Interrupted")
