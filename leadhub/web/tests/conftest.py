"""The browser for Playwright tests: Debian's Chromium, headless (installed by .ci/run)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections

from leadhub.testing.world import PASSWORD

CHROMIUM = os.environ.get("LEADHUB_CHROMIUM", "/usr/bin/chromium")


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
        # Database reads a test made while the browser ran used a connection of their own
        # (Playwright's loop): close it, or PostgreSQL cannot drop the test database.
        connections.close_all()


def log_in(page: Any, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/enquiries/")
