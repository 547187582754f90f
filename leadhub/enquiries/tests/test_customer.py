"""C11: a won enquiry's contact is imported as a customer, or the lead closes without."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leadhub.contacts.models import Contact
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import World, api_token, deliver, login, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_handoff_world()


def base(number: str) -> str:
    return f"/api/v1/enquiries/{number.replace('/', '-')}"


def won(client: Client, auth: dict[str, str], **contact: str) -> str:
    """An enquiry Dealer A accepted, started and won."""
    body = payload()
    body["contact"]["address"] = dict(TRENTO)
    body["contact"].update(contact)
    number = str(deliver(client, body).json()["number"])
    client.post(base(number) + "/accept", headers=auth)
    for action in ("start", "order"):
        client.post(
            f"{base(number)}/actions/{action}", {}, content_type="application/json", headers=auth
        )
    return number


def convert(client: Client, auth: dict[str, str], number: str, **body: Any) -> Any:
    return client.post(
        base(number) + "/customer", body, content_type="application/json", headers=auth
    )


def test_import_gives_the_next_free_number_per_organisation(world: World, client: Client) -> None:
    auth = api_token(client, "dealer-a-user")
    first = won(client, auth, email="one@example.com")
    response = convert(client, auth, first, import_contact=True)
    assert response.status_code == 200, response.content
    values = response.json()["values"]
    assert values == values | {"customer_decision": "imported", "customer_number": "C000001"}
    second = won(client, auth, email="two@example.com", last_name="Bianchi", phone="+390461000222")
    assert (
        convert(client, auth, second, import_contact=True).json()["values"]["customer_number"]
        == "C000002"
    )
    assert response.json()["history"][-1]["message"] == "Imported as customer C000001."
    # Once only.
    again = convert(client, auth, first, import_contact=False)
    assert again.status_code == 422 and "only once" in again.json()["detail"]


def test_given_numbers_are_unique_per_organisation(world: World, client: Client) -> None:
    auth = api_token(client, "dealer-a-user")
    first = won(client, auth, email="one@example.com")
    assert (
        convert(client, auth, first, import_contact=True, customer_number="K-17").status_code == 200
    )
    second = won(client, auth, email="two@example.com", last_name="Bianchi", phone="+390461000222")
    taken = convert(client, auth, second, import_contact=True, customer_number="K-17")
    assert taken.status_code == 422 and "belongs to another contact" in taken.json()["detail"]
    detail = client.get(base(second), headers=auth).json()
    assert detail["values"]["customer_decision"] == ""  # nothing changed


def test_close_without_import_and_refusals(world: World, client: Client) -> None:
    auth = api_token(client, "dealer-a-user")
    number = won(client, auth)
    skipped = convert(client, auth, number, import_contact=False).json()
    assert skipped["values"]["customer_decision"] == "not_imported"
    assert Contact.objects.exclude(customer_number="").count() == 0
    # An open enquiry is not converted yet.
    body = payload()
    body["contact"]["address"] = dict(TRENTO)
    open_one = deliver(client, body).json()["number"]
    client.post(base(open_one) + "/accept", headers=auth)
    assert convert(client, auth, open_one, import_contact=True).status_code == 422


def test_the_brand_neither_converts_nor_sees_the_customer_number(
    world: World, client: Client
) -> None:
    auth = api_token(client, "dealer-a-user")
    number = won(client, auth)
    convert(client, auth, number, import_contact=True)
    brand = api_token(client, "dispatcher")
    assert convert(client, brand, number, import_contact=True).status_code == 403
    assert client.get(base(number), headers=brand).json()["values"] is None
    login(client, "dispatcher")
    html = client.get(f"/enquiries/{number.replace('/', '-')}/").content.decode()
    i = html.find("C000001")
    assert i < 0, html[i - 300 : i + 50]
    assert "Convert to customer" not in html
    assert (
        convert(client, api_token(client, "other-user"), number, import_contact=True).status_code
        == 404
    )


def test_page_converts(world: World, client: Client) -> None:
    number = won(client, api_token(client, "dealer-a-user"))
    login(client, "dealer-a-user")
    page = f"/enquiries/{number.replace('/', '-')}/"
    assert "Convert to customer" in client.get(page).content.decode()
    html = client.post(
        page + "customer/", {"decision": "import", "customer_number": ""}, follow=True
    ).content.decode()
    assert "Imported as customer C000001." in html and "Convert to customer" not in html
