"""Reports in a real browser: filter the overview, compare, switch tabs; screenshots at
1280 and 390 px (test-artifacts/)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from leadhub.reports.tests.world import build

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(os.environ.get("LEADHUB_TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture
def built() -> None:
    build()  # before the browser starts (see test_browser.py)


def test_filter_compare_and_switch_tabs(live_server: Any, built: None, page: Any) -> None:
    log_in(page, live_server.url, "dispatcher")
    page.click("nav >> text=Reports")
    page.wait_for_url("**/reports/overview/")
    page.select_option("select[name=granularity]", "month")
    page.fill("input[name=period]", "2026-11")
    page.check("input[name=compare]")
    page.click("button:has-text('Show')")
    page.wait_for_url("**/reports/overview/?*compare=1*")
    table = page.locator("section[aria-labelledby=t-by-type] table")
    assert "Quote" in table.inner_text() and "200" in table.inner_text()
    assert page.locator("svg.chart").count() == 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reports-overview-1280.png"), full_page=True)
    page.click("nav.tabs >> text=Partner responsiveness")
    page.wait_for_url("**/reports/responsiveness/?*period=2026-11*")
    assert "Dealer A" in page.locator("section[aria-labelledby=t-per-partner]").inner_text()
    page.screenshot(path=str(ARTIFACTS / "reports-responsiveness-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "reports-responsiveness-390.png"), full_page=True)
    page.click("nav.tabs >> text=Quotes")
    page.wait_for_url("**/reports/quotes/?*")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.screenshot(path=str(ARTIFACTS / "reports-quotes-390.png"), full_page=True)
