"""In a real browser: upload a photo and a PDF to an enquiry and see their thumbnails (C4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leadhub.documents.tests.samples import pdf, png
from leadhub.testing.world import build_world, deliver, payload

from .conftest import log_in
from .test_browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def number(settings: Any) -> str:
    # No worker runs here: thumbnails are drawn right after the upload commits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    build_world()
    return str(deliver(Client(), payload()).json()["number"])


def test_upload_a_photo_and_see_its_thumbnail(live_server: Any, number: str, page: Any) -> None:
    log_in(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/enquiries/{number.replace('/', '-')}/")
    files = [
        ("Kitchen window.png", "image/png", png(800, 600, "#2f855a")),
        ("Offer 2026-114.pdf", "application/pdf", pdf()),
        ("Call notes.txt", "text/plain", b"Call after 6 pm."),
    ]
    for name, mime, data in files:
        page.set_input_files("input[name=file]", {"name": name, "mimeType": mime, "buffer": data})
        page.click("form.document-upload button[type=submit]")
        page.wait_for_selector(f"text=Added “{name}”.")
    thumbnails = page.locator(".document-grid img")
    assert thumbnails.count() == 2  # the photo and the PDF; the text file shows its badge
    for i in range(2):
        assert thumbnails.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator(".file-badge").inner_text() == "TXT"
    page.click("li.document:has-text('Offer 2026-114.pdf') button.star")
    page.wait_for_selector("li.document.favourite:has-text('Offer 2026-114.pdf')")
    assert "Offer 2026-114.pdf" in page.locator("li.document").first.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#documents").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "documents-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "documents-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing sticks out at phone width
