"""Take over (B7) by privileged roles, with an in-app notice to the previous owner (G4)."""

from __future__ import annotations

import pytest
from django.test import Client

from leadhub.enquiries.models import Enquiry
from leadhub.notifications.models import Notice
from leadhub.testing.world import World, deliver, login, payload

pytestmark = pytest.mark.django_db


def test_dispatcher_takes_over_and_the_previous_owner_is_told(world: World, client: Client) -> None:
    number = deliver(client, payload()).json()["number"]
    url = f"/enquiries/{number.replace('/', '-')}/"
    Enquiry.objects.filter(number=number).update(assigned_user=World.user("sales"))
    login(client, "sales")  # a sales advisor may not take over
    assert "Take over" not in client.get(url).content.decode()
    assert client.post(f"{url}take-over/").status_code == 404
    login(client, "dispatcher")
    response = client.post(f"{url}take-over/", follow=True)
    assert "previous owner was notified" in response.content.decode()
    e = Enquiry.objects.get(number=number)
    assert e.assigned_user == World.user("dispatcher")
    assert (
        e.history.filter(kind="taken_over").get().message == "Taken over by dispatcher from sales."
    )
    notice = Notice.objects.get(user=World.user("sales"))
    assert notice.message == f"dispatcher took over enquiry {number}." and notice.read_at is None
    login(client, "sales")
    assert '<span class="count">1</span>' in client.get("/enquiries/").content.decode()
    assert f"dispatcher took over enquiry {number}." in client.get("/me/notices/").content.decode()
    assert Notice.objects.get(pk=notice.pk).read_at is not None
    login(client, "other-user")
    assert client.post(f"{url}take-over/").status_code == 404
    assert "took over" not in client.get("/me/notices/").content.decode()


def test_take_over_through_the_api(world: World, client: Client) -> None:
    from leadhub.testing.world import api_token

    number = deliver(client, payload()).json()["number"]
    url = f"/api/v1/enquiries/{number.replace('/', '-')}/take-over"
    Enquiry.objects.filter(number=number).update(assigned_user=World.user("sales"))
    assert client.post(url, headers=api_token(client, "sales")).status_code == 403
    assert client.post(url, headers=api_token(client, "other-user")).status_code == 404
    taken = client.post(url, headers=api_token(client, "dispatcher"))
    assert taken.status_code == 200 and taken.json()["assigned_to"] == "dispatcher"
    assert Notice.objects.filter(user=World.user("sales")).count() == 1
    # Nobody left to take it from: refused, nothing written.
    again = client.post(url, headers=api_token(client, "dispatcher"))
    assert again.status_code == 403
    assert Enquiry.objects.get(number=number).history.filter(kind="taken_over").count() == 1
