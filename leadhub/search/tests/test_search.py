"""Search (E2) end to end: what each organisation finds, and that the index follows every
write that changes searchable text."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from leadhub.documents.tests.samples import pdf, png
from leadhub.enquiries.history import record
from leadhub.enquiries.models import Enquiry, HistoryCategory
from leadhub.enquiries.notes import add_note, edit_note, remove_note
from leadhub.enquiries.takeover import take_over
from leadhub.orgs.models import Organisation, User
from leadhub.routing.actions import assign_by_hand
from leadhub.routing.models import Offer, OfferStatus
from leadhub.search.index import refresh, reindex
from leadhub.search.models import SearchDocument
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import api_token, deliver, login, payload

pytestmark = pytest.mark.django_db


def found(client: Client, auth: dict[str, str], q: str, **params: str) -> list[str]:
    answer = client.get("/api/v1/search", {"q": q, **params}, headers=auth)
    assert answer.status_code == 200, answer.content
    return [item["number"] for item in answer.json()["items"]]


def person(first: str, last: str, phone: str, address: dict[str, str], text: str) -> dict[str, Any]:
    body = payload(text=text)
    body["contact"].update(
        first_name=first,
        last_name=last,
        email=f"{first}.{last}@example.com".lower(),
        phone=phone,
        address=dict(address),
    )
    return body


BOLZANO = {"street": "Via Roma 12", "postal_code": "39100", "city": "Bolzano", "country": "IT"}


@pytest.fixture
def numbers(db: None, client: Client) -> dict[str, str]:
    """Anna Gruber's enquiry stays with the brand (Bolzano studio); Marco Pichler's is
    offered to a dealer (Trento)."""
    build_handoff_world()
    anna = deliver(client, person("Anna", "Gruber", "0471 555666", BOLZANO, "Wooden windows"))
    marco = deliver(
        client, person("Marco", "Pichler", "0461 777888", TRENTO, "Balcony door, triple glazing")
    )
    return {"anna": anna.json()["number"], "marco": marco.json()["number"]}


def offered_to(number: str) -> User:
    offer = Offer.objects.get(enquiry__number=number, status=OfferStatus.PENDING)
    return User.objects.filter(organisation=offer.partner).order_by("pk").first()  # type: ignore[return-value]


def test_the_owner_finds_by_every_kind_of_text(client: Client, numbers: dict[str, str]) -> None:
    brand = api_token(client, "dispatcher")
    anna = numbers["anna"]
    for q in (
        "Gruber",
        "gruber anna",
        "anna.gruber@example.com",
        "555666",
        "0471",
        "Wooden",
        "Bolzano gruber",
        anna,
        anna.replace("/", "-"),
        anna.split("/")[1],
        "Studio",  # the unit responsible
    ):
        assert anna in found(client, brand, q), q
    assert found(client, brand, "Nobody Anywhere") == []
    # The brand still holds the offered one: it finds it by anything too.
    assert found(client, brand, "Pichler") == [numbers["marco"]]


def test_categories_dates_and_types_narrow(client: Client, numbers: dict[str, str]) -> None:
    brand = api_token(client, "dispatcher")
    anna = numbers["anna"]
    assert found(client, brand, "wooden", **{"in": "notes"}) == [anna]
    assert found(client, brand, "wooden", **{"in": "contact"}) == []
    assert found(client, brand, "gruber", **{"in": "contact"}) == [anna]
    assert found(client, brand, "bolzano", **{"in": "responsible"}) == []
    assert found(client, brand, "studio", **{"in": "responsible"}) == [anna]
    assert found(client, brand, anna.split("/")[1], **{"in": "number"}) == [anna]
    today = timezone.localdate()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert found(client, brand, "gruber", **{"from": today.isoformat()}) == [anna]
    assert found(client, brand, "gruber", **{"from": tomorrow}) == []
    assert found(client, brand, "gruber", to=(today - dt.timedelta(days=1)).isoformat()) == []
    assert found(client, brand, "gruber", type="quote") == [anna]
    assert found(client, brand, "gruber", type="brochure") == []


def test_an_offer_is_found_by_its_number_only_until_accepted(
    client: Client, numbers: dict[str, str]
) -> None:
    marco = numbers["marco"]
    dealer = offered_to(marco)
    partner = api_token(client, dealer.username)
    for q in ("Pichler", "marco.pichler@example.com", "777888", "Balcony", "Trento", "Belenzani"):
        assert found(client, partner, q) == [], q
    answer = client.get("/api/v1/search", {"q": marco}, headers=partner).json()
    (item,) = answer["items"]
    assert (item["number"], item["access"], item["exact"]) == (marco, "preview", True)
    assert item["contact"] is None and item["snippet"] is None
    assert found(client, partner, marco.split("/")[1]) == [marco]
    assert found(client, partner, marco.split("/")[1], **{"in": "notes"}) == []

    url = f"/api/v1/enquiries/{marco.replace('/', '-')}/accept"
    assert client.post(url, headers=partner).status_code == 200
    assert found(client, partner, "Pichler") == [marco]
    assert found(client, partner, "balcony") == [marco]
    brand = api_token(client, "dispatcher")
    item = client.get("/api/v1/search", {"q": "pichler"}, headers=brand).json()["items"][0]
    assert (item["number"], item["access"]) == (marco, "origin")
    # The partner now holds it: the brand finds it by the partner's name as responsible.
    assert marco in found(client, brand, dealer.organisation.name, **{"in": "responsible"})  # type: ignore[union-attr]


def test_the_brand_never_matches_a_partners_documents(
    client: Client, numbers: dict[str, str]
) -> None:
    marco = numbers["marco"]
    dealer = offered_to(marco)
    brand, partner = api_token(client, "dispatcher"), api_token(client, dealer.username)
    docs = f"/api/v1/enquiries/{marco.replace('/', '-')}/documents"
    plan = {"file": SimpleUploadedFile("Floor plan.png", png())}
    assert client.post(docs, plan, headers=brand).status_code == 201
    assert client.post(f"/api/v1/enquiries/{marco.replace('/', '-')}/accept", headers=partner)
    quote = {"file": SimpleUploadedFile("Quote 18400 EUR.pdf", pdf())}
    assert client.post(docs, quote, headers=partner).status_code == 201

    assert found(client, partner, "18400") == [marco]
    assert found(client, partner, "floor plan", **{"in": "documents"}) == [marco]
    assert found(client, brand, "18400") == []
    assert found(client, brand, "18400", **{"in": "documents"}) == []
    assert found(client, brand, "pichler 18400") == []
    assert found(client, brand, "floor", **{"in": "documents"}) == [marco]
    hit = client.get("/api/v1/search", {"q": "pichler"}, headers=brand).json()["items"][0]
    assert "18400" not in str(hit)


def test_notes_follow_edits_and_removal_and_private_entries_stay_private(
    client: Client, numbers: dict[str, str]
) -> None:
    brand = api_token(client, "dispatcher")
    anna = Enquiry.objects.get(number=numbers["anna"])
    dispatcher = User.objects.get(username="dispatcher")
    now = timezone.now()
    note = add_note(anna, by=dispatcher, text="Customer wants a skylight")
    assert found(client, brand, "skylight") == [anna.number]
    edit_note(anna, note.pk, by=dispatcher, text="Customer wants a rooflight", now=now)
    assert found(client, brand, "skylight") == []
    assert found(client, brand, "rooflight") == [anna.number]
    remove_note(anna, note.pk, by=dispatcher, now=now)
    assert found(client, brand, "rooflight") == []

    # Routing explanations and other private entries are not searched (decision 0010).
    marco = numbers["marco"]
    assert found(client, brand, "tn-pool") == []
    enquiry = Enquiry.objects.get(number=marco)
    record(
        enquiry,
        category=HistoryCategory.NOTE,
        kind="note",
        message="Competitor quoted lower",
        private_to=Organisation.objects.get(key="brand"),
    )
    refresh([enquiry.pk])
    assert found(client, brand, "competitor") == []


def test_another_organisation_finds_nothing(client: Client, numbers: dict[str, str]) -> None:
    other = api_token(client, "other-user")
    bystander = (
        "dealer-b-user"
        if offered_to(numbers["marco"]).username != "dealer-b-user"
        else "dealer-a-user"
    )
    outsider = api_token(client, bystander)
    for auth in (other, outsider):
        for q in ("Gruber", "Pichler", numbers["anna"], numbers["marco"], "windows", "0471"):
            assert found(client, auth, q) == [], q
    number = numbers["anna"].replace("/", "-")
    assert client.get(f"/api/v1/enquiries/{number}", headers=other).status_code == 404
    page = login(Client(), "other-user").get("/search/", {"q": "Gruber"})
    assert page.status_code == 200 and numbers["anna"] not in page.content.decode()
    assert Client().get("/api/v1/search", {"q": "Gruber"}).status_code == 401


def test_too_short_a_query_says_so(client: Client, numbers: dict[str, str]) -> None:
    brand = api_token(client, "dispatcher")
    answer = client.get("/api/v1/search", {"q": "a"}, headers=brand)
    assert answer.status_code == 400 and "at least 3" in answer.json()["detail"]
    assert client.get("/api/v1/search", {"q": "ross", "in": "x"}, headers=brand).status_code == 422
    page = login(Client(), "dispatcher")
    assert "at least 3" in page.get("/search/", {"q": "ab"}).content.decode()
    assert "Type what you are looking for" in page.get("/search/", {"q": ""}).content.decode()
    empty = page.get("/search/").content.decode()
    assert "Nothing found" not in empty and "at least 3" not in empty


def test_the_page_shows_where_it_matched_escaped(client: Client, numbers: dict[str, str]) -> None:
    anna = Enquiry.objects.get(number=numbers["anna"])
    add_note(anna, by=User.objects.get(username="dispatcher"), text="<b>Skylight</b> & <i>door</i>")
    page = login(Client(), "dispatcher").get("/search/", {"q": "skylight"}).content.decode()
    assert numbers["anna"] in page and f"/enquiries/{numbers['anna'].replace('/', '-')}/" in page
    assert "&lt;b&gt;<mark>Skylight</mark>&lt;/b&gt; &amp; &lt;i&gt;door&lt;/i&gt;" in page
    assert "<b>Skylight" not in page
    # The box is in every page's header.
    assert 'role="search"' in login(Client(), "dispatcher").get("/enquiries/").content.decode()


def test_the_exact_number_comes_first(client: Client, numbers: dict[str, str]) -> None:
    anna = numbers["anna"]
    marco = Enquiry.objects.get(number=numbers["marco"])
    add_note(marco, by=User.objects.get(username="dispatcher"), text=f"Same house as {anna}")
    brand = api_token(client, "dispatcher")
    items = client.get("/api/v1/search", {"q": anna}, headers=brand).json()["items"]
    assert [(i["number"], i["exact"]) for i in items] == [(anna, True), (marco.number, False)]


def test_responsible_changes_are_searchable(client: Client, numbers: dict[str, str]) -> None:
    brand = api_token(client, "dispatcher")
    anna = Enquiry.objects.get(number=numbers["anna"])
    dispatcher, sales = User.objects.get(username="dispatcher"), User.objects.get(username="sales")
    sales.first_name, sales.last_name = "Sandra", "Verdi"
    sales.save()
    assert found(client, brand, "verdi") == []
    assign_by_hand(anna, by=dispatcher, now=timezone.now(), user=sales)
    assert found(client, brand, "sandra verdi", **{"in": "responsible"}) == [anna.number]
    take_over(Enquiry.objects.get(pk=anna.pk), by=dispatcher, now=timezone.now())
    assert found(client, brand, "verdi") == []
    assert found(client, brand, "dispatcher", **{"in": "responsible"}) == [anna.number]


def test_reindex_rebuilds_what_the_writers_kept(client: Client, numbers: dict[str, str]) -> None:
    """The documents the actions kept equal the ones a rebuild makes from scratch."""
    marco = numbers["marco"]
    partner = api_token(client, offered_to(marco).username)
    client.post(f"/api/v1/enquiries/{marco.replace('/', '-')}/accept", headers=partner)
    add_note(Enquiry.objects.get(number=marco), by=offered_to_user(marco), text="Call at 6")

    def snapshot() -> list[tuple[Any, ...]]:
        return list(SearchDocument.objects.order_by("pk").values_list())

    kept = snapshot()
    assert len(kept) == Enquiry.objects.count() == 2
    SearchDocument.objects.all().delete()
    assert reindex(batch=1) == 2
    assert snapshot() == kept


def offered_to_user(number: str) -> User:
    enquiry = Enquiry.objects.get(number=number)
    return User.objects.filter(organisation=enquiry.owner).order_by("pk").first()  # type: ignore[return-value]


def test_category_rights_narrow_the_search(client: Client, numbers: dict[str, str]) -> None:
    """A sales advisor sees their unit's enquiries (decision 0009): the Bolzano one, routed
    to the studio, not the one offered to a dealer."""
    sales = api_token(client, "sales")
    assert found(client, sales, "Gruber") == [numbers["anna"]]
    assert found(client, sales, "Pichler") == []
    assert found(client, sales, "anna.gruber@example.com") == [numbers["anna"]]
    # Rights through the enquiries, the type on the document: both apply.
    assert found(client, sales, "Gruber", type="quote") == [numbers["anna"]]
    assert found(client, sales, "Gruber", type="sample") == []


def test_the_document_carries_the_enquirys_type(client: Client, numbers: dict[str, str]) -> None:
    """Written with the rest of the document, and backfilled by migration 0003."""
    sample = deliver(client, payload(type="sample")).json()["number"]
    types = dict(SearchDocument.objects.values_list("enquiry__number", "type"))
    assert types == {numbers["anna"]: "quote", numbers["marco"]: "quote", sample: "sample"}

    SearchDocument.objects.update(type="")
    backfill = import_module("leadhub.search.migrations.0003_searchdocument_type").backfill
    backfill(apps, SimpleNamespace(connection=connection))
    assert dict(SearchDocument.objects.values_list("enquiry__number", "type")) == types
