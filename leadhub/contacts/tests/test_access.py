"""Contact page, edit, "add colleague" and the API: who may read and who may change a
contact (decision 0045) — every endpoint answers 404 to another organisation and to a
partner with an offer not accepted yet; a brand following its partner's enquiry reads."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leadhub.contacts.models import Contact
from leadhub.enquiries.models import Enquiry
from leadhub.orgs.models import User
from leadhub.routing.actions import accept_offer
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import World, api_token, deliver, login, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_handoff_world()


def enquiry_of(client: Client, body: dict[str, Any]) -> Enquiry:
    return Enquiry.objects.get(number=deliver(client, body).json()["number"])


@pytest.fixture
def own(world: World, client: Client) -> Contact:
    """A contact of the brand (Bolzano, the studio's)."""
    return enquiry_of(client, payload()).contact


@pytest.fixture
def offered(world: World, client: Client) -> Enquiry:
    """Trento: offered to dealer A, not accepted yet."""
    body = payload()
    body["contact"]["address"] = dict(TRENTO)
    return enquiry_of(client, body)


def endpoints(contact_id: int) -> list[tuple[str, str]]:
    base = f"/contacts/{contact_id}/"
    return [("get", base), ("get", base + "edit/"), ("get", base + "colleagues/")]


def api_calls(contact_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    base = f"/api/v1/contacts/{contact_id}"
    return [
        ("get", base, {}),
        ("patch", base, {"first_name": "X"}),
        ("post", base + "/colleagues", {"last_name": "Y"}),
    ]


def call(client: Client, method: str, url: str, body: dict[str, Any], auth: dict[str, str]) -> Any:
    if method == "get":
        return client.get(url, headers=auth)
    return getattr(client, method)(url, body, content_type="application/json", headers=auth)


def test_owner_sees_the_page_with_rows_and_the_link_from_the_enquiry(
    own: Contact, client: Client
) -> None:
    login(client, "dispatcher")
    html = client.get(f"/contacts/{own.pk}/").content.decode()
    assert "luca.moretti@example.com" in html and "Edit" in html and "Add colleague" in html
    enquiry = own.enquiries.get()
    detail = client.get(f"/enquiries/{enquiry.number.replace('/', '-')}/").content.decode()
    assert f"/contacts/{own.pk}/" in detail


@pytest.mark.parametrize("username", ["other-user", "dealer-b-user", "dealer-a-user"])
def test_others_get_404_on_every_page_and_endpoint(
    own: Contact, client: Client, username: str
) -> None:
    login(client, username)
    for _method, url in endpoints(own.pk):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/contacts/{own.pk}/consents/", {"kind": "x"}).status_code == 404
    auth = api_token(client, username)
    for method, url, body in api_calls(own.pk):
        assert call(client, method, url, body, auth).status_code == 404, (method, url)
    assert Contact.objects.get(pk=own.pk).first_name == "Luca"
    assert Contact.objects.count() == 1


def test_partner_with_an_unaccepted_offer_gets_404(offered: Enquiry, client: Client) -> None:
    contact = offered.contact
    login(client, "dealer-a-user")
    assert client.get(f"/enquiries/{offered.number.replace('/', '-')}/").status_code == 200
    for _method, url in endpoints(contact.pk):
        assert client.get(url).status_code == 404, url
    auth = api_token(client, "dealer-a-user")
    for method, url, body in api_calls(contact.pk):
        assert call(client, method, url, body, auth).status_code == 404, (method, url)


def test_after_acceptance_the_partner_edits_and_the_brand_only_reads(
    offered: Enquiry, client: Client
) -> None:
    accept_offer(offered, by=User.objects.get(username="dealer-a-user"), now=timezone.now())
    contact = offered.contact
    login(client, "dealer-a-user")
    assert "Add colleague" in client.get(f"/contacts/{contact.pk}/").content.decode()
    login(client, "dispatcher")
    html = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "luca.moretti@example.com" in html and "Dealer A owns this contact" in html
    assert "Add colleague" not in html
    assert client.get(f"/contacts/{contact.pk}/edit/").status_code == 404
    assert client.post(f"/contacts/{contact.pk}/colleagues/", {"last_name": "Y"}).status_code == 404
    auth = api_token(client, "dispatcher")
    got = client.get(f"/api/v1/contacts/{contact.pk}", headers=auth)
    assert got.status_code == 200 and got.json()["may_edit"] is False
    for method, url, body in api_calls(contact.pk)[1:]:
        assert call(client, method, url, body, auth).status_code == 404, (method, url)


def test_edit_form_saves_rows_and_shows_errors_per_field(own: Contact, client: Client) -> None:
    login(client, "dispatcher")
    url = f"/contacts/{own.pk}/edit/"
    form = client.get(url).content.decode()
    assert 'value="BZ" selected' in form  # the province select for Italy
    data = {
        "kind": "business",
        "title": "",
        "first_name": "Luca",
        "last_name": "Moretti",
        "company": "Moretti Serramenti S.r.l.",
        "vat_number": "IT 00743110158",  # wrong check digit
        "national_id": "",
        "language": "it",
        "street": "Via Roma 12",
        "postal_code": "39100",
        "city": "Bolzano",
        "country": "IT",
        "province": "BZ",
        "email_address": ["ufficio@moretti.example", "luca.moretti@example.com", "bad@"],
        "email_label": ["work", "private", "work"],
        "phone_number": ["0471 123456", ""],
        "phone_label": ["work", "mobile"],
    }
    refused = client.post(url, data)
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "not a valid VAT number for IT" in html and "not a valid e-mail address" in html
    assert Contact.objects.get(pk=own.pk).company == ""  # nothing saved
    data |= {"vat_number": "IT 00743110157", "email_address": data["email_address"][:2]}
    data["email_label"] = data["email_label"][:2]
    assert client.post(url, data).status_code == 302
    own.refresh_from_db()
    assert (own.email, own.vat_number, own.company_key) == (
        "ufficio@moretti.example",
        "00743110157",
        "moretti serramenti",
    )
    assert list(own.emails.values_list("email", flat=True)) == [
        "ufficio@moretti.example",
        "luca.moretti@example.com",
    ]


def test_add_colleague_page_and_colleagues_shown_together(own: Contact, client: Client) -> None:
    login(client, "dispatcher")
    client.patch(
        f"/api/v1/contacts/{own.pk}",
        {"company": "Moretti Serramenti"},
        content_type="application/json",
        headers=api_token(client, "dispatcher"),
    )
    form = client.get(f"/contacts/{own.pk}/colleagues/")
    assert form.status_code == 200 and "Add a colleague at Moretti Serramenti" in form.text
    answer = client.post(
        f"/contacts/{own.pk}/colleagues/",
        {
            "kind": "business",
            "first_name": "Giulia",
            "last_name": "Bianchi",
            "language": "it",
            "email_address": [""],
            "email_label": ["work"],
            "phone_number": ["0471 654321"],
            "phone_label": ["work"],
        },
    )
    assert answer.status_code == 302
    giulia = Contact.objects.get(last_name="Bianchi")
    assert answer["Location"] == f"/contacts/{giulia.pk}/"
    html = client.get(answer["Location"]).content.decode()
    assert "e-mail not known yet" in html and "mailto:" not in html  # no e-mail yet
    assert "Moretti" in html  # her colleague, shown on her page
    assert "Giulia" in client.get(f"/contacts/{own.pk}/").content.decode()


def test_api_get_patch_and_colleague(own: Contact, client: Client) -> None:
    auth = api_token(client, "dispatcher")
    url = f"/api/v1/contacts/{own.pk}"
    got = client.get(url, headers=auth).json()
    assert got["emails"] == [{"email": "luca.moretti@example.com", "label": "private"}]
    assert got["province"] == "BZ" and got["may_edit"] is True
    bad = client.patch(
        url,
        {"country": "IT", "province": "XX", "phones": [{"phone": "12", "label": "work"}]},
        content_type="application/json",
        headers=auth,
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"province", "phones.0"}
    good = client.patch(
        url,
        {
            "company": "Moretti Srl",
            "vat_number": "00743110157",
            "phones": [{"phone": "333 1234567", "label": "mobile"}, {"phone": "0471 123456"}],
        },
        content_type="application/json",
        headers=auth,
    )
    assert good.status_code == 200, good.content
    body = good.json()
    assert body["phone"] == "+393331234567" and len(body["phones"]) == 2
    assert body["first_name"] == "Luca"  # not sent: unchanged
    made = client.post(
        url + "/colleagues",
        {
            "first_name": "Giulia",
            "last_name": "Bianchi",
            "emails": [{"email": "g@moretti.example"}],
        },
        content_type="application/json",
        headers=auth,
    )
    assert made.status_code == 201
    assert made.json()["company"] == "Moretti Srl" and made.json()["email"] == "g@moretti.example"
    assert [c["name"] for c in client.get(url, headers=auth).json()["colleagues"]] == [
        "Giulia Bianchi"
    ]


def test_consent_form(own: Contact, client: Client) -> None:
    login(client, "dispatcher")
    url = f"/contacts/{own.pk}/consents/"
    client.post(url, {"kind": "marketing_email", "given": "yes", "source": "phone call"})
    client.post(url, {"kind": "marketing_email", "given": "yes", "source": "phone call"})
    assert own.consents.count() == 1
    assert "phone call" in client.get(f"/contacts/{own.pk}/").content.decode()


def test_openapi_lists_the_contact_endpoints(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"get", "patch"} <= paths["/api/v1/contacts/{contact_id}"].keys()
    assert "post" in paths["/api/v1/contacts/{contact_id}/colleagues"]


def test_a_contact_with_only_the_columns_still_shows_them(world: World, client: Client) -> None:
    # Bench seeds and old imports write the columns without rows.
    bare = Contact.objects.create(owner=world.brand, last_name="Seed", email="s@example.com")
    login(client, "dispatcher")
    html = client.get(f"/contacts/{bare.pk}/").content.decode()
    assert "mailto:s@example.com" in html and "e-mail not known yet" not in html
    got = client.get(f"/api/v1/contacts/{bare.pk}", headers=api_token(client, "dispatcher"))
    assert got.json()["emails"] == [{"email": "s@example.com", "label": "work"}]
