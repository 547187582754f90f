"""In a real browser: from the enquiry to the contact page, edit it (the province list
follows the country), and add a colleague."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from leadhub.contacts.models import Contact
from leadhub.enquiries.models import Enquiry
from leadhub.testing.world import build_world, deliver, payload

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(os.environ.get("LEADHUB_TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture
def number() -> str:
    build_world()
    return str(deliver(Client(), payload()).json()["number"])


def shots(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_edit_a_contact_and_add_a_colleague(live_server: Any, number: str, page: Any) -> None:
    log_in(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/enquiries/{number.replace('/', '-')}/")
    page.click("a.contact-link")
    page.wait_for_url("**/contacts/*/")
    assert "luca.moretti@example.com" in page.content()
    page.click("text=Edit")
    page.wait_for_url("**/edit/")
    assert page.locator("select[name=province][data-country=IT]").is_visible()
    page.fill("input[name=country]", "ES")
    assert page.locator("select[name=province][data-country=ES]").is_visible()
    assert not page.locator("select[name=province][data-country=IT]").is_visible()
    page.fill("input[name=country]", "DE")
    assert page.locator("input[name=province]").is_visible()
    page.fill("input[name=country]", "IT")
    page.select_option("select[name=province][data-country=IT]", "TN")
    page.fill("input[name=company]", "Moretti Serramenti S.r.l.")
    page.locator("input[name=email_address]").nth(1).fill("ufficio@moretti.example")
    shots(page, "contact-edit")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_url("**/contacts/*/")
    assert "ufficio@moretti.example" in page.content()
    shots(page, "contact-detail")
    page.click("text=Add colleague")
    page.fill("input[name=first_name]", "Giulia")
    page.fill("input[name=last_name]", "Bianchi")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_url("**/contacts/*/")
    assert "e-mail not known yet" in page.content() and "Luca" in page.content()
    shots(page, "contact-colleague")
    contact = Enquiry.objects.get(number=number).contact
    assert (contact.province, contact.company_key) == ("TN", "moretti serramenti")
    assert Contact.objects.get(last_name="Bianchi").company == "Moretti Serramenti S.r.l."
