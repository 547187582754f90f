"""A6 manual entry and B10 sharing with a brand."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leadhub.contacts.models import Contact
from leadhub.enquiries.models import Enquiry
from leadhub.testing.world import World, api_token, login

pytestmark = pytest.mark.django_db

NEW = {
    "last_name": "Bianchi",
    "phone": "0471 123456",
    "country": "it",
    "kind": "business",
    "company": "Bianchi Srl",
}


def enter(client: Client, who: str, key: str = "", **body: Any) -> Any:
    headers = api_token(client, who) | ({"Idempotency-Key": key} if key else {})
    return client.post("/api/v1/enquiries", body, content_type="application/json", headers=headers)


def test_brand_entry_is_routed_and_a_retry_enters_nothing_more(
    world: World, client: Client
) -> None:
    first = enter(client, "dispatcher", key="k-1", type="quote", contact=NEW, text="Six windows")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["contact"]["phone"] == "+390471123456" and body["contact"]["email"] == ""
    kinds = [h["kind"] for h in body["history"]]
    assert kinds[0] == "entered" and "routed" in kinds  # the brand's rules placed it
    again = enter(client, "dispatcher", key="k-1", type="quote", contact=NEW, text="Six windows")
    assert again.status_code == 200 and again.json()["number"] == body["number"]
    assert Enquiry.objects.count() == 1 and Contact.objects.count() == 1


def test_entry_for_an_existing_contact_and_kept_by_who_entered_it(
    world: World, client: Client
) -> None:
    made = enter(client, "dispatcher", type="quote", contact=NEW).json()
    contact = Enquiry.objects.get(number=made["number"]).contact
    second = enter(client, "dispatcher", type="brochure", contact_id=contact.pk, route=False)
    assert second.status_code == 201
    e = Enquiry.objects.get(number=second.json()["number"])
    assert e.contact == contact and e.assigned_user == World.user("dispatcher")
    # Another organisation's contact cannot be named.
    refused = enter(client, "other-user", type="quote", contact_id=contact.pk)
    assert (
        refused.status_code == 422
        and "not a contact of your organisation" in refused.json()["detail"]
    )


@pytest.mark.parametrize(
    ("contact", "reason"),
    [
        ({"first_name": "Anna"}, "a last name or a company is required"),
        ({"last_name": "Rossi", "email": "not-an-address"}, "email: not a valid e-mail"),
        ({"last_name": "Rossi", "phone": "12", "country": "IT"}, "phone: not"),
    ],
)
def test_bad_entries_are_refused_whole(
    world: World, client: Client, contact: dict[str, str], reason: str
) -> None:
    response = enter(client, "dispatcher", type="quote", contact=contact)
    assert response.status_code == 422 and reason in response.json()["detail"]
    assert not Enquiry.objects.exists() and not Contact.objects.exists()


def test_partner_entry_stays_with_the_partner_and_is_shared_on_request(
    world: World, client: Client
) -> None:
    made = enter(client, "dealer-a-user", type="quote", contact=NEW, share_with="brand")
    assert made.status_code == 201, made.content
    number = made.json()["number"]
    e = Enquiry.objects.get(number=number)
    assert e.owner.key == "dealer-a" and e.origin_brand is None
    assert e.shared_with is not None and e.shared_with.key == "brand"
    # The brand reads it, without amounts; it cannot act on it.
    brand = api_token(client, "dispatcher")
    detail = client.get(f"/api/v1/enquiries/{number.replace('/', '-')}", headers=brand).json()
    assert detail["access"] == "origin" and detail["values"] is None
    # Stop sharing: gone for the brand.
    url = f"/api/v1/enquiries/{number.replace('/', '-')}/sharing"
    auth = api_token(client, "dealer-a-user")
    assert (
        client.put(url, {"brand": None}, content_type="application/json", headers=auth).status_code
        == 200
    )
    assert (
        client.get(f"/api/v1/enquiries/{number.replace('/', '-')}", headers=brand).status_code
        == 404
    )
    # Another brand is not one of Dealer A's brands.
    other = client.put(url, {"brand": "other-brand"}, content_type="application/json", headers=auth)
    assert other.status_code == 422 and "not one of your brands" in other.json()["detail"]


def test_private_contacts_are_never_shared(world: World, client: Client) -> None:
    private = NEW | {"kind": "private", "company": ""}
    refused = enter(client, "dealer-a-user", type="quote", contact=private, share_with="brand")
    assert refused.status_code == 422
    assert "business or prescriber" in refused.json()["detail"]
    assert not Enquiry.objects.exists()
    made = enter(client, "dealer-a-user", type="quote", contact=private).json()["number"]
    url = f"/api/v1/enquiries/{made.replace('/', '-')}/sharing"
    auth = api_token(client, "dealer-a-user")
    assert (
        client.put(
            url, {"brand": "brand"}, content_type="application/json", headers=auth
        ).status_code
        == 422
    )


def test_only_self_entered_enquiries_are_shared(world: World, client: Client) -> None:
    """An enquiry that came from the brand's channel is already the brand's to follow."""
    made = enter(client, "dispatcher", type="quote", contact=NEW).json()["number"]
    url = f"/api/v1/enquiries/{made.replace('/', '-')}/sharing"
    auth = api_token(client, "dispatcher")
    assert (
        client.put(
            url, {"brand": "brand"}, content_type="application/json", headers=auth
        ).status_code
        == 403
    )


def test_viewers_do_not_enter(world: World, client: Client) -> None:
    from leadhub.orgs.models import User

    User.objects.filter(username="sales").update(roles=["viewer"])
    assert enter(client, "sales", type="quote", contact=NEW).status_code == 403


def test_entry_page(world: World, client: Client) -> None:
    login(client, "dealer-a-user")
    page = client.get("/enquiries/new/").content.decode()
    assert 'name="entry_key"' in page and "Share with brand" in page and "Route it" not in page
    key = page.split('name="entry_key" value="')[1].split('"')[0]
    form = {
        "entry_key": key,
        "type": "quote",
        "kind": "prescriber",
        "last_name": "Verdi",
        "country": "IT",
        "phone": "0461 555123",
        "share_with": "brand",
    }
    response = client.post("/enquiries/new/", form, follow=True)
    html = response.content.decode()
    assert "entered." in html and "Shared with Brand Windows" in html
    client.post("/enquiries/new/", form)  # the same form again: nothing new
    assert Enquiry.objects.count() == 1
    # The next entry starts from this one's country.
    assert 'name="country" value="IT"' in client.get("/enquiries/new/").content.decode()
    # Errors are shown on the form, nothing stored.
    bad = client.post(
        "/enquiries/new/", form | {"entry_key": "other", "last_name": "", "phone": "1"}
    )
    assert "a last name or a company is required" in bad.content.decode()
    assert Enquiry.objects.count() == 1
    # The contact search finds the organisation's own contacts only.
    found = client.get(
        "/enquiries/new/contacts/?q=verdi", headers={"HX-Request": "true"}
    ).content.decode()
    assert "Verdi" in found
    login(client, "other-user")
    assert "Verdi" not in client.get("/enquiries/new/contacts/?q=verdi").content.decode()
