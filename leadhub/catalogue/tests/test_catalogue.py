from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from leadhub.catalogue.models import CatalogueItem, EnquiryItem
from leadhub.catalogue.parse import parse_catalogue
from leadhub.contacts.models import Contact
from leadhub.enquiries.models import Enquiry
from leadhub.intake.models import RejectedDelivery
from leadhub.lib.tabular import TableError
from leadhub.testing.world import World, api_token, deliver, login, payload

FIXTURE = Path(__file__).parent / "fixtures" / "catalogue.csv"


def test_parse_catalogue() -> None:
    items = parse_catalogue(FIXTURE.read_bytes(), filename="catalogue.csv")
    assert [(i.sku, i.kind, i.language, i.active) for i in items] == [
        ("SMP-OAK-01", "sample", "", True),
        ("SMP-ALU-07", "sample", "", True),
        ("BRO-WIN-DE", "brochure", "de", True),
        ("BRO-WIN-IT", "brochure", "it", True),
    ]


def test_parse_catalogue_lists_every_bad_row() -> None:
    data = b'[{"sku": "A", "name": "x", "kind": "poster"}, {"sku": "A", "name": "", "kind": "sample", "language": "deutsch"}]'
    with pytest.raises(TableError) as caught:
        parse_catalogue(data, filename="c.json")
    assert [str(e) for e in caught.value.errors] == [
        "item 1: kind: 'poster' is neither sample nor brochure",
        "item 2: name: is required, at most 200 characters",
        "item 2: language: 'deutsch' is not a code such as de",
    ]


def run(path: Path, *extra: str) -> str:
    out = StringIO()
    call_command("catalogue", "import", str(path), "--brand", "brand", *extra, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_is_idempotent_and_full_withdraws(world: World, tmp_path: Path) -> None:
    assert run(FIXTURE) == "catalogue.csv: 4 created, 0 updated, 0 unchanged.\n"
    assert run(FIXTURE) == "catalogue.csv: 0 created, 0 updated, 4 unchanged.\n"
    smaller = tmp_path / "c.csv"
    smaller.write_text("sku,name,kind\nSMP-OAK-01,Oak sample (new),sample\n")
    assert run(smaller) == "c.csv: 0 created, 1 updated, 0 unchanged.\n"
    assert CatalogueItem.objects.filter(active=True).count() == 4  # not a full import
    assert run(smaller, "--full") == "c.csv: 0 created, 0 updated, 1 unchanged, 3 withdrawn.\n"
    assert list(CatalogueItem.objects.filter(active=True).values_list("sku", flat=True)) == [
        "SMP-OAK-01"
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,name,kind\nX,,sample\n")
    with pytest.raises(CommandError, match="line 2: name"):
        run(bad)
    with pytest.raises(CommandError, match="no brand"):
        call_command("catalogue", "import", str(FIXTURE), "--brand", "dealer-a")


def sample_request(**extra: Any) -> dict[str, Any]:
    items = [{"sku": "SMP-OAK-01", "quantity": 2}, {"sku": "BRO-WIN-DE"}]
    return payload(**({"type": "sample", "items": items} | extra))


@pytest.mark.django_db
def test_intake_stores_item_lines_shown_to_who_reads_the_enquiry(
    world: World, client: Client
) -> None:
    run(FIXTURE)
    response = deliver(client, sample_request())
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    lines = EnquiryItem.objects.filter(enquiry__number=number).select_related("item")
    assert [(x.item.sku, x.quantity) for x in lines] == [("SMP-OAK-01", 2), ("BRO-WIN-DE", 1)]
    url_number = number.replace("/", "-")
    detail = client.get(f"/api/v1/enquiries/{url_number}", headers=api_token(client, "dispatcher"))
    assert [(i["sku"], i["quantity"]) for i in detail.json()["items"]] == [
        ("SMP-OAK-01", 2),
        ("BRO-WIN-DE", 1),
    ]
    page = login(Client(), "dispatcher").get(f"/enquiries/{url_number}/").content.decode()
    assert 'id="items"' in page and "Oak frame sample" in page
    assert login(Client(), "other-user").get(f"/enquiries/{url_number}/").status_code == 404


@pytest.mark.django_db
def test_unknown_or_withdrawn_items_are_refused_and_kept(world: World, client: Client) -> None:
    run(FIXTURE)
    CatalogueItem.objects.filter(sku="BRO-WIN-DE").update(active=False)
    body = sample_request()
    body["items"].insert(0, {"sku": "NOPE"})
    response = deliver(client, body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "items[0].sku", "message": "'NOPE' is not in the brand's catalogue"},
        {"field": "items[2].sku", "message": "'BRO-WIN-DE' is no longer available"},
    ]
    assert (Enquiry.objects.count(), Contact.objects.count(), EnquiryItem.objects.count()) == (
        0,
        0,
        0,
    )
    kept = RejectedDelivery.objects.get()
    assert kept.errors[0]["field"] == "items[0].sku"


@pytest.mark.django_db
def test_items_go_with_samples_and_brochures_only(world: World, client: Client) -> None:
    run(FIXTURE)
    response = deliver(client, sample_request(type="quote"))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "items", "message": "only sample and brochure enquiries carry items"}
    ]
    twice = payload(type="sample", items=[{"sku": "SMP-OAK-01"}, {"sku": "SMP-OAK-01"}])
    assert deliver(client, twice).json()["errors"][0]["field"] == "items[1].sku"
    other_brand = deliver(
        client, sample_request(), channel="other-web", token="other-channel-token-0002"
    )
    assert other_brand.status_code == 422  # another brand's catalogue is not this one


@pytest.mark.django_db
def test_items_cost_two_statements(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    run(FIXTURE)
    deliver(client, sample_request())  # warm the compiled rules and calendars
    # The intake budget (intake/tests) plus the catalogue read and the lines' insert.
    with django_assert_max_num_queries(18 + 2):
        assert deliver(client, sample_request(text="again")).status_code == 201
