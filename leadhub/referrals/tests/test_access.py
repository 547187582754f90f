"""Only the brand's users who see all quote enquiries see referrals; a partner never, another
brand never; deciding needs a working role, forms and links an administrator. Every page
and endpoint answers 404 to whoever may not see it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from leadhub.documents.tests.samples import pdf
from leadhub.orgs.models import User
from leadhub.referrals.models import Referral, ReferralForm, ReferralStatus
from leadhub.testing.world import PASSWORD, World, api_token, login

from .conftest import answers

pytestmark = pytest.mark.django_db

OUTSIDERS = ["dealer-a-user", "dealer-b-user", "other-user", "sales"]
OWN_LISTS = ("/referrals/", "/referrals/forms/")
OWN_API_LISTS = ("/api/v1/referrals", "/api/v1/referral-forms")


@pytest.fixture
def referral(link_path: str, client: Client) -> Referral:
    upload = SimpleUploadedFile("id.pdf", pdf(), "application/pdf")
    assert client.post(link_path, {**answers(), "documents": [upload]}).status_code == 200
    return Referral.objects.get()


def pages(r: Referral) -> list[str]:
    doc = r.documents.get()
    return [
        "/referrals/",
        "/referrals/forms/",
        f"/referrals/{r.pk}/",
        f"/referrals/{r.pk}/documents/{doc.pk}/",
    ]


def posts(r: Referral, form: ReferralForm) -> list[tuple[str, dict[str, str]]]:
    return [
        (f"/referrals/{r.pk}/accept/", {"comment": "ok"}),
        (f"/referrals/{r.pk}/reject/", {"comment": "no"}),
        (f"/referrals/{r.pk}/messages/", {"text": "hello"}),
        ("/referrals/forms/", {"name": "X", "project": "Y"}),
        (f"/referrals/forms/{form.pk}/link/renew/", {}),
        (f"/referrals/forms/{form.pk}/link/revoke/", {}),
    ]


def apis(r: Referral, form: ReferralForm) -> list[tuple[str, str]]:
    return [
        ("get", "/api/v1/referrals"),
        ("get", f"/api/v1/referrals/{r.pk}"),
        ("post", f"/api/v1/referrals/{r.pk}/accept"),
        ("post", f"/api/v1/referrals/{r.pk}/reject"),
        ("post", f"/api/v1/referrals/{r.pk}/messages"),
        ("get", "/api/v1/referral-forms"),
        ("post", f"/api/v1/referral-forms/{form.pk}/link"),
        ("delete", f"/api/v1/referral-forms/{form.pk}/link"),
    ]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_404_everywhere(
    referral: Referral, form: ReferralForm, client: Client, username: str
) -> None:
    """Partners and a sales user without ALL on quotes: nothing; another brand: its own
    (empty) tab and forms, and 404 for this brand's referral and form."""
    own_tab = username == "other-user"
    login(client, username)
    for url in pages(referral):
        expected = 200 if own_tab and url in OWN_LISTS else 404
        assert client.get(url).status_code == expected, url
    for url, data in posts(referral, form):
        expected = 302 if own_tab and url == "/referrals/forms/" else 404  # a form of its own
        assert client.post(url, data).status_code == expected, url
    enquiries = client.get("/enquiries/").content.decode()
    assert ('href="/referrals/"' in enquiries) is own_tab  # the tab link
    if own_tab:
        lists = (
            client.get("/referrals/").content.decode()
            + client.get("/referrals/forms/").content.decode()
        )
        assert "Kowalski" not in lists and "Agency Dom Plus" not in lists
    auth = api_token(client, username)
    for method, url in apis(referral, form):
        if own_tab and method == "get" and url in OWN_API_LISTS:
            listed = client.get(url, headers=auth).json()
            assert "Kowalski" not in str(listed) and "Agency Dom Plus" not in str(listed)
            continue
        body = {"comment": "x", "text": "x"}
        response = getattr(client, method)(url, body, content_type="application/json", headers=auth)
        assert response.status_code == 404, (url, response.content)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING and referral.messages.count() == 0
    assert form.links.filter(revoked_at__isnull=True).count() == 1


def test_pages_need_login(referral: Referral, form: ReferralForm, client: Client) -> None:
    for url in pages(referral):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/api/v1/referrals").status_code == 401


def test_a_sales_user_with_all_quotes_sees_the_tab(referral: Referral, client: Client) -> None:
    sales = User.objects.get(username="sales")
    sales.category_rights.create(category="quote", level="all")
    login(client, "sales")
    assert client.get(f"/referrals/{referral.pk}/").status_code == 200
    assert 'href="/referrals/"' in client.get("/enquiries/").content.decode()


def test_a_viewer_reads_but_does_not_decide(
    world: World, referral: Referral, client: Client
) -> None:
    User.objects.create_user(
        username="viewer", password=PASSWORD, organisation=world.brand, roles=["viewer"]
    )
    login(client, "viewer")
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Kowalski" in page and "/accept/" not in page and "/messages/" not in page
    assert client.post(f"/referrals/{referral.pk}/accept/", {"comment": ""}).status_code == 404
    auth = api_token(client, "viewer")
    response = client.post(
        f"/api/v1/referrals/{referral.pk}/accept", {}, content_type="application/json", headers=auth
    )
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_only_administrators_manage_forms_and_links(
    referral: Referral, form: ReferralForm, client: Client
) -> None:
    login(client, "dispatcher")
    page = client.get("/referrals/forms/").content.decode()
    assert "Agency Dom Plus" in page and "/r/" in page  # to send the link on
    assert "link/revoke/" not in page
    assert client.post("/referrals/forms/", {"name": "X", "project": "Y"}).status_code == 404
    auth = api_token(client, "dispatcher")
    refused = client.post(
        "/api/v1/referral-forms",
        {"name": "X", "project": "Y"},
        content_type="application/json",
        headers=auth,
    )
    assert refused.status_code == 403
    assert client.delete(f"/api/v1/referral-forms/{form.pk}/link", headers=auth).status_code == 403
    assert ReferralForm.objects.count() == 1

    login(client, "brand-admin")
    created = client.post("/referrals/forms/", {"name": "Agency Nova", "project": "Old Town"})
    assert created.status_code == 302
    assert (
        client.post("/referrals/forms/", {"name": "agency nova", "project": "Z"}).status_code == 302
    )
    assert ReferralForm.objects.count() == 2  # the same name twice is refused
    old = form.links.get().secret
    client.post(f"/referrals/forms/{form.pk}/link/renew/")
    assert client.get(f"/r/{old}/").status_code == 404
    admin_auth = api_token(client, "brand-admin")
    forms = client.get("/api/v1/referral-forms", headers=admin_auth).json()
    assert {f["name"] for f in forms} == {"Agency Dom Plus", "Agency Nova"}
    revoked = client.delete(f"/api/v1/referral-forms/{form.pk}/link", headers=admin_auth)
    assert revoked.status_code == 200 and revoked.json()["link"] is None
    made = client.post(
        "/api/v1/referral-forms",
        {"name": "Agency Three", "project": "Old Town"},
        content_type="application/json",
        headers=admin_auth,
    )
    assert made.status_code == 201 and "/r/" in made.json()["link"]
    assert client.get(made.json()["link"].split("8000", 1)[-1]).status_code == 200
