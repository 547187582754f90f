import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from leadhub.enquiries.models import Enquiry
from leadhub.intake.models import RejectedDelivery
from leadhub.quotes.models import Quote
from leadhub.testing.world import BRAND_TOKEN, World, api_token, login

from .helpers import BRAND_ERP_TOKEN, DEALER_ERP_TOKEN, add_erp_channels, dealer_enquiry

pytestmark = pytest.mark.django_db


def send(client: Client, quotes: Any, token: str = DEALER_ERP_TOKEN) -> Any:
    body = quotes if isinstance(quotes, bytes) else json.dumps({"quotes": quotes}).encode()
    return client.post(
        "/api/v1/quotes",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def two_quotes(e: Enquiry) -> list[dict[str, Any]]:
    return [
        {"enquiry_number": e.url_number, "number": "Q-1", "amount": "12.480,50", "main": True},
        {"enquiry_number": e.number, "number": "Q-2", "amount": 9000, "date": "2026-11-20"},
        {"enquiry_number": e.number, "number": "O-1", "kind": "order", "amount": "9000.00"},
    ]


def test_the_owners_erp_sends_quotes_idempotently(world: World, client: Client) -> None:
    add_erp_channels()
    e = dealer_enquiry(world, client)
    first = send(client, two_quotes(e))
    assert first.status_code == 200, first.content
    assert (first.json()["created"], first.json()["unchanged"]) == (3, 0)
    assert [q["main"] for q in first.json()["quotes"]] == [True, False, True]
    again = send(client, two_quotes(e))
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 3)
    e.refresh_from_db()
    assert (e.quote_number, e.quote_amount, e.order_amount) == (
        "Q-1",
        Decimal("12480.50"),
        Decimal("9000.00"),
    )
    assert Quote.objects.count() == 3


@pytest.mark.parametrize("token", ["wrong-token-000000000", BRAND_TOKEN, ""])
def test_wrong_tokens_get_401_and_nothing_is_kept(world: World, client: Client, token: str) -> None:
    add_erp_channels()
    e = dealer_enquiry(world, client)
    assert send(client, two_quotes(e), token=token).status_code == 401
    assert Quote.objects.count() == 0 and RejectedDelivery.objects.count() == 0


def test_another_organisations_enquiry_is_refused_and_kept(world: World, client: Client) -> None:
    add_erp_channels()
    e = dealer_enquiry(world, client)
    # The brand's ERP: the enquiry came from the brand, but dealer A owns it now.
    response = send(client, two_quotes(e), token=BRAND_ERP_TOKEN)
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "quotes[0].enquiry_number",
        "message": f"no enquiry {e.number} of Brand Windows",
    }
    assert Quote.objects.count() == 0
    kept = RejectedDelivery.objects.get()
    assert kept.channel.key == "brand-erp" and kept.reason == "invalid quotes"


def test_bad_bodies(world: World, client: Client) -> None:
    add_erp_channels()
    assert send(client, b"{oops").status_code == 400
    assert send(client, b"[]").status_code == 400
    bad = send(client, [{"enquiry_number": "261123/000001", "number": "", "amount": "x"}])
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"quotes[0].number", "quotes[0].amount"}
    assert RejectedDelivery.objects.count() == 3


def test_erp_tokens_do_not_open_the_enquiry_webhook(world: World, client: Client) -> None:
    add_erp_channels()
    response = client.post(
        "/api/v1/intake/dealer-a-erp/enquiries",
        "{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {DEALER_ERP_TOKEN}"},
    )
    assert response.status_code == 401


def test_amounts_are_the_owners_only(world: World, client: Client) -> None:
    add_erp_channels()
    e = dealer_enquiry(world, client)
    send(client, two_quotes(e))
    owner = client.get(
        f"/api/v1/enquiries/{e.url_number}", headers=api_token(client, "dealer-a-user")
    )
    assert [(q["number"], q["main"]) for q in owner.json()["quotes"]] == [
        ("Q-1", True),
        ("Q-2", False),
        ("O-1", True),
    ]
    brand = client.get(f"/api/v1/enquiries/{e.url_number}", headers=api_token(client, "dispatcher"))
    assert brand.status_code == 200 and brand.json()["access"] == "origin"
    assert brand.json()["quotes"] is None and brand.json()["values"] is None
    assert "12480" not in brand.content.decode() and "Q-1" not in brand.content.decode()
    page = login(Client(), "dealer-a-user").get(f"/enquiries/{e.url_number}/").content.decode()
    assert 'id="quotes"' in page and "12480.50 EUR" in page and "Make main" in page
    page = login(Client(), "dispatcher").get(f"/enquiries/{e.url_number}/").content.decode()
    assert 'id="quotes"' not in page and "12480" not in page and "Q-1" not in page
    other = login(Client(), "other-user").get(f"/enquiries/{e.url_number}/")
    assert other.status_code == 404


def test_make_main_on_the_page(world: World, client: Client) -> None:
    add_erp_channels()
    e = dealer_enquiry(world, client)
    send(client, two_quotes(e))
    q2 = Quote.objects.get(number="Q-2")
    url = f"/enquiries/{e.url_number}/quotes/{q2.pk}/main/"
    assert login(Client(), "dispatcher").post(url).status_code == 404  # the brand: no
    assert login(Client(), "other-user").post(url).status_code == 404
    response = login(Client(), "dealer-a-user").post(url)
    assert response.status_code == 302
    e.refresh_from_db()
    assert (e.quote_number, e.quote_amount) == ("Q-2", Decimal("9000.00"))
    assert dict(Quote.objects.filter(kind="quote").values_list("number", "main")) == {
        "Q-1": False,
        "Q-2": True,
    }
    history = e.history.get(kind="quote_made_main")
    assert history.private_to == world.dealer_a
    # The next import leaves the choice alone unless the ERP names another main one.
    send(client, [q | {"main": None} for q in two_quotes(e)])
    assert Quote.objects.get(number="Q-2").main
