"""In a real browser (Playwright driving Debian's Chromium): log in and open an enquiry."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from leadhub.testing.world import PASSWORD, build_world, deliver, payload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = os.environ.get("LEADHUB_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("LEADHUB_TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture
def page() -> Iterator[Any]:
    # Django refuses database access from an event loop; Playwright's sync API runs one.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()


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
    assert page.locator("nav.tabs").inner_text().startswith("All (1)")
    page.click(f"text={number}")
    page.wait_for_url(f"**/enquiries/{number.replace('/', '-')}/")
    assert page.locator("h1").inner_text().startswith(f"Enquiry {number}")
    assert "luca.moretti@example.com" in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "enquiry-detail-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "enquiry-detail-390.png"), full_page=True)
