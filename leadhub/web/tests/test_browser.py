"""In a real browser (Playwright driving Debian's Chromium): log in and open an enquiry."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from leadhub.testing.world import PASSWORD, build_world, deliver, payload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(os.environ.get("LEADHUB_TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture
def number() -> str:
    # Set up before the browser starts: inside Playwright's greenlet Django would open a
    # second connection that outlives the test.
    build_world()
    return str(deliver(Client(), payload()).json()["number"])


def test_log_in_and_open_an_enquiry(live_server: Any, number: str, page: Any) -> None:
    page.goto(f"{live_server.url}/enquiries/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "dispatcher")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/enquiries/")
    page.locator("nav.tabs", has_text="All (1)").wait_for()  # the counts come after the rows
    page.click(f"text={number}")
    page.wait_for_url(f"**/enquiries/{number.replace('/', '-')}/")
    assert page.locator("h1").inner_text().startswith(f"Enquiry {number}")
    assert "luca.moretti@example.com" in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "enquiry-detail-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "enquiry-detail-390.png"), full_page=True)
