"""The report pages: five tabs that render tables beside SVG charts, downloads as CSV and
xlsx, per-field errors, and 404 for everyone who may not read the organisation's figures."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from django.test import Client

from leadhub.orgs.models import OrgUnit, User
from leadhub.testing.world import login

from .world import ReportWorld, build

pytestmark = pytest.mark.django_db
NAMES = ["overview", "quotes", "samples", "brochures", "responsiveness"]
NOV = "granularity=month&period=2026-11"


@pytest.fixture
def rw(db: None) -> ReportWorld:
    return build()


def test_reports_home_goes_to_the_overview(rw: ReportWorld, client: Client) -> None:
    login(client, "dispatcher")
    response = client.get("/reports/")
    assert response.status_code == 302 and response["Location"] == "/reports/overview/"
    assert 'href="/reports/"' in client.get("/enquiries/").content.decode()


@pytest.mark.parametrize("name", NAMES)
def test_each_tab_renders_tables_and_charts(rw: ReportWorld, client: Client, name: str) -> None:
    login(client, "dispatcher")
    response = client.get(f"/reports/{name}/?{NOV}&compare=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-current="page"' in html and '<table class="report">' in html
    assert f"{name}/" in html and ".csv?" in html and ".xlsx?" in html
    if name != "brochures":  # the brand has no brochure requests in November
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html


def test_quotes_page_shows_only_own_amounts(rw: ReportWorld, client: Client) -> None:
    login(client, "dispatcher")
    html = client.get(f"/reports/quotes/?{NOV}").content.decode()
    assert "1,000.00" in html and "5,000.00" not in html and "(own enquiries only)" in html


def test_downloads_csv_and_xlsx(rw: ReportWorld, client: Client) -> None:
    login(client, "dispatcher")
    text = client.get(f"/reports/samples/per-item.csv?{NOV}")
    assert text.status_code == 200 and text["Content-Type"].startswith("text/csv")
    assert 'filename="samples-per-item-2026-11.csv"' in text["Content-Disposition"]
    lines = text.content.decode("utf-8-sig").splitlines()
    assert lines == ["Item,Name,Enquiries,Quantity", "S1,Oak sample,1,2", "S2,Pine sample,1,1"]
    xlsx = client.get(f"/reports/quotes/summary.xlsx?{NOV}")
    assert xlsx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "<v>1000</v>" in sheet and "<v>4500</v>" not in sheet and "Conversion rate" in strings
    assert client.get(f"/reports/samples/nothing.csv?{NOV}").status_code == 404
    assert client.get(f"/reports/samples/per-item.pdf?{NOV}").status_code == 404
    bad = client.get("/reports/samples/per-item.csv?period=2026-13")
    assert bad.status_code == 400 and b"period" in bad.content


def test_bad_filters_are_explained_on_the_page(rw: ReportWorld, client: Client) -> None:
    login(client, "dispatcher")
    response = client.get("/reports/overview/?granularity=quarter&period=2026-Q9&zone=nowhere")
    assert response.status_code == 400
    html = response.content.decode()
    assert "2026-Q4" in html and "No zone" in html and 'role="alert"' in html


@pytest.mark.parametrize("name", NAMES)
def test_pages_and_downloads_answer_404_to_those_without_reports(
    rw: ReportWorld, client: Client, name: str
) -> None:
    anonymous = client.get(f"/reports/{name}/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    login(client, "sales")
    assert client.get(f"/reports/{name}/").status_code == 404
    assert client.get(f"/reports/{name}/summary.csv").status_code == 404
    assert client.get("/reports/").status_code == 404
    assert 'href="/reports/"' not in client.get("/enquiries/").content.decode()


@pytest.mark.parametrize("name", NAMES)
def test_another_organisation_downloads_only_its_own(
    rw: ReportWorld, client: Client, name: str
) -> None:
    login(client, "other-user")
    html = client.get(f"/reports/{name}/?{NOV}").content.decode()
    for secret in ("Dealer A", "Oak sample", "1,000.00", "5,000.00", "vip"):
        assert secret not in html
    table = {
        "overview": "by-type",
        "quotes": "summary",
        "samples": "per-item",
        "brochures": "per-item",
        "responsiveness": "summary",
    }[name]
    body = client.get(f"/reports/{name}/{table}.csv?{NOV}").content.decode("utf-8-sig")
    for secret in ("Oak sample", "1000", "5000", "Windows 2026"):
        assert secret not in body


def test_table_cells_are_escaped(rw: ReportWorld, client: Client) -> None:
    OrgUnit.objects.filter(key="studio").update(name="<b>Studio & Co</b>")
    login(client, "dispatcher")
    html = client.get(f"/reports/quotes/?{NOV}&by=unit").content.decode()
    assert "&lt;b&gt;Studio &amp; Co&lt;/b&gt;" in html and "<b>Studio" not in html


def test_downloads_guard_formulas_and_follow_the_users_language(
    rw: ReportWorld, client: Client
) -> None:
    """The rules of the list's exports (decision 0043): `;` and a decimal comma for German,
    a leading apostrophe on text a spreadsheet would run as a formula."""
    OrgUnit.objects.filter(key="studio").update(name='=HYPERLINK("http://evil.example")')
    User.objects.filter(username="dispatcher").update(language="de")
    login(client, "dispatcher")
    body = client.get(f"/reports/quotes/by-unit.csv?{NOV}&by=unit").content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert len(rows[0]) > 4  # split at ";": one column per heading
    studio = next(r for r in rows if "HYPERLINK" in r[0])
    assert studio[0] == '\'=HYPERLINK("http://evil.example")'
    assert "1000,00" in studio and "100,0" in studio  # amount and rate: decimal comma
    xlsx = client.get(f"/reports/quotes/by-unit.xlsx?{NOV}&by=unit").content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    cell = next(c for c in sheet["A"] if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s" and cell.quotePrefix  # text, Excel's own apostrophe
    User.objects.filter(username="dispatcher").update(language="en")
    english = client.get(f"/reports/quotes/by-unit.csv?{NOV}&by=unit").content.decode("utf-8-sig")
    assert english.splitlines()[0].count(",") == len(rows[0]) - 1
