"""Exports hold exactly the list's rows (page and API), as each user may see them."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from leadhub.exports.models import Export
from leadhub.testing.world import World, api_token, login

from .world import ExportWorld, as_dict, build, numbers_in, xlsx_rows

pytestmark = pytest.mark.django_db
ROW = re.compile(r'name="number" value="([^"]+)"')
OFFER = re.compile(r'<span class="number">([^<]+)</span>')
CURSOR = re.compile(r'<tr class="more">.*?cursor=([A-Za-z0-9_-]+)', re.S)  # "Show more"


@pytest.fixture
def data(world: World, monkeypatch: Any, settings: Any) -> ExportWorld:
    import importlib

    listing = importlib.import_module("leadhub.web.views.enquiry_list")
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)  # pages to follow
    settings.EXPORT_BATCH_ROWS = 2  # batches to join
    return build(world)


def page_numbers(client: Client, query: str) -> list[str]:
    """Every row of the list page for `query`: the offers on top, then all pages."""
    html = client.get(f"/enquiries/?{query}").content.decode()
    numbers = OFFER.findall(html) + ROW.findall(html)
    while m := CURSOR.search(html):
        html = client.get(f"/enquiries/?{query}&cursor={m.group(1)}").content.decode()
        numbers += ROW.findall(html)
    return numbers


def page_export(client: Client, query: str, fmt: str = "xlsx") -> Any:
    response = client.post(f"/enquiries/export/?{query}", {"format": fmt, "key": ""})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "type=sample",
        "done=1",
        "tab=mine",
        "sort=-created",
        "tab=all&done=1&sort=updated",
        "tag=VIP",
        "responsible=none",
        "status=ordered&done=1",
    ],
)
def test_the_page_export_holds_the_lists_rows_in_its_order(
    data: ExportWorld, client: Client, query: str
) -> None:
    login(client, "dispatcher")
    on_screen = page_numbers(client, query)
    assert numbers_in(xlsx_rows(page_export(client, query))) == on_screen
    assert data.e["other"].number not in on_screen


def test_a_partner_gets_its_offers_first_anonymised(data: ExportWorld, client: Client) -> None:
    login(client, "dealer-a-user")
    on_screen = page_numbers(client, "")
    rows = xlsx_rows(page_export(client, ""))
    assert numbers_in(rows) == on_screen
    offered = data.e["offered"].number
    assert on_screen[0] == offered
    row = as_dict(rows, offered)
    assert row["Position"] == 1 and row["Site address"] == "39… Bolzano, IT"
    assert row["Responsible"] == "Dealer A"
    for personal in ("First name", "Last name", "E-mails", "Phones", "Contact address", "Title"):
        assert row[personal] is None, personal
    assert "Franco" not in str(rows)
    accepted = as_dict(rows, data.e["accepted"].number)  # its own: everything, amounts too
    assert accepted["Last name"] == "Elenason" and accepted["Quote amount"] == 1234.5
    assert accepted["Tags"] is None  # the brand's tags are the brand's


def test_the_brand_never_gets_a_partners_amounts(data: ExportWorld, client: Client) -> None:
    login(client, "dispatcher")
    rows = xlsx_rows(page_export(client, ""))
    accepted = as_dict(rows, data.e["accepted"].number)
    assert accepted["Last name"] == "Elenason" and accepted["Responsible"] == "Dealer A"
    for column in ("Quote number", "Quote amount", "Order number", "Order amount"):
        assert accepted[column] is None, column
    ordered = as_dict(xlsx_rows(page_export(client, "done=1")), data.e["ordered"].number)
    assert ordered["Quote number"] == "Q7" and ordered["Quote amount"] == 700  # its own


def test_xlsx_columns_formats_and_guard(data: ExportWorld, client: Client) -> None:
    import openpyxl

    login(client, "dispatcher")
    content = page_export(client, "")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert all(c.font.bold for c in sheet[1])
    rows = xlsx_rows(content)
    own = as_dict(rows, data.e["own"].number)
    assert own["E-mails"] == "anna@example.com, anna@work.example"
    assert own["Phones"] == "+390471123456, +393331234567"
    assert own["Tags"] == "VIP"  # not the partner's tag on it
    assert own["Responsible"] == World.user("dispatcher").display_name()
    assert own["Channel"] == "web" and own["Status"] == "In progress"
    assert own["Received"].tzinfo is None  # a date-time cell, in the organisation's zone
    row, column = numbers_in(rows).index(data.e["sample"].number) + 2, rows[0].index("Company") + 1
    sample = sheet.cell(row=row, column=column)
    assert sample.value == '=HYPERLINK("x")' and sample.quotePrefix  # text, never a formula
    assert sample.data_type == "s"


def test_csv_in_german_with_semicolons_bom_decimal_comma_and_guard(
    data: ExportWorld, client: Client
) -> None:
    World.user("dispatcher").__class__.objects.filter(username="dispatcher").update(language="de")
    login(client, "dispatcher")
    content = page_export(client, "done=1", fmt="csv")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][1:3] == ["Nummer", "Eingegangen am"]  # headers in the user's language
    ordered = next(r for r in rows if r[1] == data.e["ordered"].number)
    assert "700,00" in ordered
    login(client, "dispatcher")
    rows = list(
        csv.reader(io.StringIO(page_export(client, "", "csv").decode("utf-8-sig")), delimiter=";")
    )
    sample = next(r for r in rows if r[1] == data.e["sample"].number)
    assert '\'=HYPERLINK("x")' in sample
    assert "'+390471123456" in sample  # a phone starts with +: guarded too


def test_the_api_export_holds_the_api_lists_rows(data: ExportWorld, client: Client) -> None:
    headers = api_token(client, "dealer-a-user")
    for query in ({}, {"done": True}, {"sort": "-created"}, {"type": "quote", "done": False}):
        params = "&".join(f"{k}={str(v).lower()}" for k, v in query.items())
        listed: list[str] = []
        cursor = ""
        while True:
            page = client.get(f"/api/v1/enquiries?limit=1&{params}{cursor}", headers=headers).json()
            listed += [i["number"] for i in page["items"]]
            if not page["next_cursor"]:
                break
            cursor = f"&cursor={page['next_cursor']}"
        response = client.post(
            "/api/v1/exports",
            {**query, "format": "csv"},
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        rows = list(csv.reader(io.StringIO(text)))  # English: commas
        assert [r[1] for r in rows[1:]] == listed, query
        assert "Franco" not in text  # the offer to dealer A: anonymised here too


def test_bad_input_is_refused(data: ExportWorld, client: Client) -> None:
    login(client, "dispatcher")
    assert client.post("/enquiries/export/", {"format": "pdf"}).status_code == 400
    headers = api_token(client, "dispatcher")
    for body in (
        {"format": "pdf"},
        {"type": "nonsense"},
        {"sort": "sideways"},
        {"responsible": "x"},
    ):
        response = client.post(
            "/api/v1/exports", body, content_type="application/json", headers=headers
        )
        assert response.status_code in (400, 422), body
    assert Export.objects.count() == 0


def test_amounts_are_numbers_for_the_owner(data: ExportWorld, client: Client) -> None:
    login(client, "dealer-a-user")
    row = as_dict(xlsx_rows(page_export(client, "")), data.e["accepted"].number)
    assert Decimal(str(row["Order amount"])) == Decimal("1200")


def test_the_list_has_export_buttons_keeping_its_filters(data: ExportWorld, client: Client) -> None:
    login(client, "dispatcher")
    page = client.get("/enquiries/?type=sample&sort=-created").content.decode()
    assert 'action="/enquiries/export/?type=sample&amp;tab=all&amp;sort=-created"' in page
    assert 'value="xlsx"' in page and 'value="csv"' in page and 'href="/exports/"' in page
    assert client.get("/exports/").status_code == 200
    client.logout()
    assert client.get("/exports/").status_code == 302  # login first
