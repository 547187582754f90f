"""Read / unread per user, and "changed by someone else" on your own enquiries (C7)."""

from __future__ import annotations

import pytest
from django.test import Client

from leadhub.enquiries.models import Enquiry
from leadhub.orgs.models import User
from leadhub.testing.world import World, deliver, login, payload

pytestmark = pytest.mark.django_db


def test_unread_until_opened_and_changed_by_someone_else(world: World, client: Client) -> None:
    number = deliver(client, payload()).json()["number"]
    url = f"/enquiries/{number.replace('/', '-')}/"
    Enquiry.objects.filter(number=number).update(assigned_user=World.user("dispatcher"))
    login(client, "dispatcher")
    page = client.get("/enquiries/").content.decode()
    assert 'class=" unread"' in page.replace("overdue", "")
    assert "Unread (1)" in client.get("/enquiries/counters/").content.decode()
    client.get(url)  # opening it marks it read
    assert "Unread (0)" in client.get("/enquiries/counters/").content.decode()
    # A colleague adds a note: unread again, and marked as changed by someone else.
    User.objects.filter(username="sales").update(roles=["sales", "manager"])
    login(client, "sales")
    client.post(f"{url}notes/", {"text": "Customer called back"})
    login(client, "dispatcher")
    page = client.get("/enquiries/").content.decode()
    assert "Unread (1)" in client.get("/enquiries/counters/").content.decode()
    assert "changed</span>" in page
    assert number in client.get("/enquiries/?tab=unread").content.decode()
    # The user's own change does not make it unread for them.
    client.get(url)
    client.post(f"{url}notes/", {"text": "Called back"}, follow=True)  # back on the page: read
    assert "Unread (0)" in client.get("/enquiries/counters/").content.decode()


def test_mark_as_unread_for_me_only(world: World, client: Client) -> None:
    from leadhub.testing.world import api_token

    number = deliver(client, payload()).json()["number"]
    url = f"/enquiries/{number.replace('/', '-')}/"
    login(client, "dispatcher")
    client.get(url)
    assert "Unread (0)" in client.get("/enquiries/counters/").content.decode()
    response = client.post(f"{url}unread/")
    assert response.status_code == 302 and response["Location"] == "/enquiries/"
    assert "Unread (1)" in client.get("/enquiries/counters/").content.decode()
    # Through the API; another organisation cannot even tell it exists.
    api = f"/api/v1/enquiries/{number.replace('/', '-')}"
    auth = api_token(client, "dispatcher")
    client.get(api, headers=auth)
    assert client.post(f"{api}/unread", headers=auth).status_code == 204
    assert client.get("/api/v1/enquiries?unread=true", headers=auth).json()["items"]
    assert client.post(f"{api}/unread", headers=api_token(client, "other-user")).status_code == 404
