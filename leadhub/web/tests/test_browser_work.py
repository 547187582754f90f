"""In a real browser: an advisor works an offer to an order; a dispatcher closes three at
once; a partner cannot open another partner's enquiry (issue 4)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from leadhub.enquiries.models import Enquiry
from leadhub.orgs.models import OrgUnit
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import deliver, payload

from .conftest import log_in
from .test_browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offered() -> str:
    """An enquiry offered to Dealer A, which has a showroom. Set up before the browser starts."""
    world = build_handoff_world()
    OrgUnit.objects.create(organisation=world.dealer_a, key="showroom", name="Showroom Trento")
    body: dict[str, Any] = payload()
    body["contact"]["address"] = dict(TRENTO)
    return str(deliver(Client(), body).json()["number"])


def test_advisor_accepts_books_a_showroom_quotes_and_wins(
    live_server: Any, offered: str, page: Any
) -> None:
    log_in(page, live_server.url, "dealer-a-user")
    assert "Offers waiting for you (1)" in page.content()
    page.click(f"text={offered}")
    page.once("dialog", lambda dialog: dialog.accept())  # "Accept this enquiry? ..."
    page.click("button:has-text('Accept enquiry')")
    page.wait_for_selector("text=Accepted: the enquiry is yours now.")
    assert "luca.moretti@example.com" in page.content()

    page.click("button:has-text('Start processing')")
    page.wait_for_selector("text=Done: Start processing.")
    page.click("summary:has-text('Set an appointment')")
    when = (datetime.now(ZoneInfo("Europe/Rome")) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    page.fill("input[name=appointment-at]", when)
    page.select_option("select[name=appointment-place]", "showroom")
    page.select_option("select[name=appointment-showroom]", label="Showroom Trento")
    page.click("form[action$='/actions/appointment/'] button[type=submit]")
    page.wait_for_selector("text=Done: Set an appointment.")
    assert "Showroom Trento" in page.content()

    page.click("summary:has-text('Quote delivered')")
    page.fill("input[name=deliver_quote-quote_number]", "Q-2026-77")
    page.fill("input[name=deliver_quote-quote_amount]", "18400.50")
    page.click("form[action$='/actions/deliver_quote/'] button[type=submit]")
    page.wait_for_selector("text=Done: Quote delivered.")

    page.click("summary:has-text('Order placed')")
    page.fill("input[name=order-order_amount]", "17900")
    page.click("form[action$='/actions/order/'] button[type=submit]")
    page.wait_for_selector("text=Done: Order placed.")
    e = Enquiry.objects.get(number=offered)
    assert (e.status, e.appointment_unit.name if e.appointment_unit else None) == (
        "ordered",
        "Showroom Trento",
    )
    assert str(e.quote_amount) == "18400.50" and str(e.order_amount) == "17900.00"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "advisor-won-1280.png"), full_page=True)


@pytest.fixture
def three() -> list[str]:
    # Before the browser starts: inside Playwright's greenlet Django would open a second
    # connection that outlives the test (PostgreSQL then cannot drop the test database).
    build_handoff_world()
    client = Client()
    return [str(deliver(client, payload()).json()["number"]) for _ in range(3)]


def test_dispatcher_closes_three_at_once(live_server: Any, three: list[str], page: Any) -> None:
    numbers = three
    log_in(page, live_server.url, "dispatcher")
    for number in numbers:
        page.check(f"input[name=number][value='{number}']")
    page.select_option("select[name=action]", "close")
    page.select_option("select[name=reason]", "prospect|Bought elsewhere")
    page.click(".bulk-bar button[type=submit]")
    page.wait_for_selector("text=Close: 3 done")
    assert set(Enquiry.objects.values_list("status", flat=True)) == {"closed"}


def test_a_partner_cannot_open_another_partners_enquiry(
    live_server: Any, offered: str, page: Any
) -> None:
    log_in(page, live_server.url, "dealer-b-user")
    response = page.goto(f"{live_server.url}/enquiries/{offered.replace('/', '-')}/")
    assert response is not None and response.status == 404
    assert "Not found" in page.content() and "Moretti" not in page.content()
