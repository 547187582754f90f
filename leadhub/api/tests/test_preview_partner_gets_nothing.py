"""A partner with a pending, unaccepted offer reads the anonymised preview and may accept or
reject; every other endpoint of the enquiry refuses it without data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leadhub.enquiries.models import Enquiry
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import World, api_token, deliver, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_handoff_world()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "assign/targets?q=a", None),
        ("post", "assign", {"user": "dealer-a-user"}),
        ("post", "take-over", None),
        ("post", "customer", {"import_contact": True}),
        ("patch", "project", {"project_name": "x"}),
        ("post", "notes", {"text": "x"}),
        ("put", "sharing", {"brand": "brand"}),
        ("post", "actions/start", {}),
    ],
)
def test_an_unaccepted_partner_gets_nothing(
    world: World, client: Client, method: str, path: str, body: dict[str, Any] | None
) -> None:
    sent = payload()
    sent["contact"]["address"] = dict(TRENTO)
    number = deliver(client, sent).json()["number"]
    assert Enquiry.objects.get(number=number).status == "offered"  # to Dealer A, pending
    url = f"/api/v1/enquiries/{number.replace('/', '-')}/{path}"
    call = getattr(client, method)
    kwargs: dict[str, Any] = {"headers": api_token(client, "dealer-a-user")}
    if body is not None:
        kwargs |= {"data": body, "content_type": "application/json"}
    response = call(url, **kwargs)
    assert response.status_code in (403, 404)
    text = response.content.decode()
    assert sent["contact"]["last_name"] not in text and sent["contact"]["email"] not in text
    e = Enquiry.objects.get(number=number)
    assert (e.status, e.owner.key, e.project_name) == ("offered", "brand", "")
