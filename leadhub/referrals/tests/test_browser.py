"""In a real browser (issue 5): a broker sends a referral through the link on a phone-sized
screen; the brand accepts it from the tab with a comment, which the broker gets by e-mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from leadhub.orgs.models import Organisation, User
from leadhub.referrals.actions import create_form, live_link
from leadhub.referrals.models import Referral, ReferralStatus
from leadhub.testing.world import build_world
from leadhub.web.tests.conftest import log_in, page  # noqa: F401  (the browser fixture)
from leadhub.web.tests.test_browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def link(settings: Any) -> str:
    # No worker runs here: the broker's e-mail goes out right after the decision commits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    build_world()
    Organisation.objects.filter(key="brand").update(
        country="PL", subdivision="", timezone="Europe/Warsaw"
    )
    brand = Organisation.objects.get(key="brand")
    form = create_form(
        brand,
        name="Agency Dom Plus",
        project="Green Hills",
        by=User.objects.get(username="dispatcher"),
        now=timezone.now(),
    )
    found = live_link(form)
    assert found is not None
    return found.secret


def test_refer_on_a_phone_then_accept_with_a_comment(
    live_server: Any,
    link: str,
    page: Any,  # noqa: F811  (the imported fixture)
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/r/{link}/")
    for name, value in {
        "first_name": "Jan",
        "last_name": "Kowalski",
        "phone": "601 234 567",
        "national_id": "44051401359",
        "id_card": "ABS123456",
        "broker_name": "Anna Broker",
        "broker_email": "anna@agency.example",
    }.items():
        page.fill(f"[name={name}]", value)
    page.check("[name=consent]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    page.click("text=Send referral")
    page.wait_for_selector("text=Thank you")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "referral-form-390.png"), full_page=True)

    page.context.clear_cookies()
    log_in(page, live_server.url, "dispatcher")
    page.click("header >> text=Referrals")
    page.click("text=Jan Kowalski")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("summary:has-text('Accept')")
    page.fill("form[action$='/accept/'] textarea[name=comment]", "Thanks, we call him today.")
    page.click("text=Accept referral")
    page.wait_for_selector("text=Accepted; the broker is told by e-mail.")
    page.screenshot(path=str(ARTIFACTS / "referral-detail-390.png"), full_page=True)
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.ACCEPTED and referral.enquiry is not None
    assert page.locator(f"text={referral.enquiry.number}").count() >= 1
    (message,) = mail.outbox
    assert message.to == ["anna@agency.example"]
    assert "Thanks, we call him today." in message.body
