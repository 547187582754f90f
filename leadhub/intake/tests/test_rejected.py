"""Refused deliveries of authenticated channels are kept for the brand's admins (issue 5)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from leadhub.enquiries.models import Enquiry
from leadhub.intake.models import RejectedDelivery
from leadhub.orgs.models import User
from leadhub.testing.world import World, deliver, login, payload

pytestmark = pytest.mark.django_db


def test_refused_deliveries_are_kept_with_their_reasons(world: World, client: Client) -> None:
    assert deliver(client, payload(type="pizza")).status_code == 422
    assert deliver(client, b"{oops").status_code == 400
    assert not Enquiry.objects.exists()
    bad_fields, unreadable = RejectedDelivery.objects.order_by("id")
    assert bad_fields.channel.key == "web" and bad_fields.reason == "invalid fields"
    assert bad_fields.errors[0]["field"] == "type" and '"pizza"' in bad_fields.body
    assert unreadable.reason == "not readable" and unreadable.body == "{oops"
    # Without the channel's token nothing is kept: anyone could fill the table.
    client.post("/api/v1/intake/web/enquiries", "{}", content_type="application/json")
    assert RejectedDelivery.objects.count() == 2


def test_old_rejections_are_purged(world: World, client: Client) -> None:
    deliver(client, b"{old")
    RejectedDelivery.objects.update(received_at=timezone.now() - timedelta(days=31))
    deliver(client, b"{new")
    assert list(RejectedDelivery.objects.values_list("body", flat=True)) == ["{new"]


def test_the_page_is_for_the_brands_admins(world: World, client: Client) -> None:
    deliver(client, payload(type="pizza"))
    User.objects.filter(username="dispatcher").update(roles=["admin"])
    login(client, "dispatcher")
    html = client.get("/admin/rejected/").content.decode()
    assert "Rejected deliveries (1)" in html and "pizza" in html
    assert "Rejected deliveries (0)" in client.get("/admin/rejected/?channel=nope").content.decode()
    login(client, "other-user")  # another brand's admin
    assert "pizza" not in client.get("/admin/rejected/").content.decode()
    login(client, "sales")
    assert client.get("/admin/rejected/").status_code == 404
