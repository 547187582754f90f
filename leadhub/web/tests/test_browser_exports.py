"""In a real browser: filter the enquiry list and export it — a small xlsx at once, a larger
CSV in the background, followed on My exports until its download link appears (F4)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from leadhub.exports.models import Export
from leadhub.exports.tasks import run_export
from leadhub.exports.tests.world import ExportWorld, build, numbers_in, xlsx_rows
from leadhub.testing.world import build_world

from .conftest import log_in
from .test_browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(settings: Any, tmp_path: Path) -> ExportWorld:
    # Before the browser starts (see test_browser.py). No worker runs here: the test runs
    # the background export's task itself, while the page polls.
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.EXPORT_BATCH_ROWS = 2
    return build(build_world())


def test_filter_export_now_and_in_the_background(
    live_server: Any, data: ExportWorld, page: Any, settings: Any
) -> None:
    log_in(page, live_server.url, "dispatcher")
    page.select_option("form.filters select[name=type]", "quote")  # applies at once (JS)
    page.wait_for_url("**/enquiries/?*type=quote*")
    shown = page.locator("#rows input[name=number]").evaluate_all("els => els.map(e => e.value)")
    assert len(shown) == 3 and data.e["sample"].number not in shown  # the filter applied

    with page.expect_download() as small:  # 3 rows: at once (EXPORT_SYNC_MAX_ROWS 2,000)
        page.click("form.export-bar button[value=xlsx]")
    assert small.value.suggested_filename.endswith(".xlsx")
    rows = xlsx_rows(Path(small.value.path()).read_bytes())  # opens with openpyxl
    assert rows[0][:2] == ["Position", "Number"] and numbers_in(rows) == shown

    settings.EXPORT_SYNC_MAX_ROWS = 2  # now the same list is "large": a task
    page.click("form.export-bar button[value=csv]")
    page.wait_for_url("**/exports/")
    page.wait_for_selector("text=The export is being prepared")
    table = page.locator("#exports")
    assert "Queued" in table.inner_text() and table.locator("progress").count() == 1
    assert table.locator("a:has-text('Download')").count() == 0
    export = Export.objects.get(format="csv")
    assert export.filters["filters"]["type"] == "quote"

    assert run_export.call(export.pk) == "3 rows"  # the worker's part
    link = page.locator("#exports a:has-text('Download')")
    link.wait_for(timeout=10_000)  # the table reloads itself every 2 s while one runs
    assert page.locator("#exports progress").count() == 0 and "Done" in table.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "my-exports-1280.png"), full_page=True)
    with page.expect_download() as large:
        link.click()
    text = Path(large.value.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))  # English: comma-separated
    assert [line[1] for line in lines[1:]] == shown
