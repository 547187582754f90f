"""Each report's numbers on a small hand-built world (tests/world.py), through the API, and
who sees what (F3): the brand its channels' enquiries without partners' amounts, a partner
all of its own, another organisation nothing of either. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leadhub.orgs.models import OrgUnit, User
from leadhub.testing.world import api_token

from .world import ReportWorld, build

pytestmark = pytest.mark.django_db
NOV = {"granularity": "month", "period": "2026-11"}
NAMES = ["overview", "quotes", "samples", "brochures", "responsiveness"]


@pytest.fixture
def rw(db: None) -> ReportWorld:
    return build()


def get(client: Client, username: str, name: str, **params: Any) -> dict[str, Any]:
    response = client.get(
        f"/api/v1/reports/{name}", {**NOV, **params}, headers=api_token(client, username)
    )
    assert response.status_code == 200, response.content
    return dict(response.json())


def rows(report: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return next(t for t in report["tables"] if t["key"] == key)["rows"]  # type: ignore[no-any-return]


def by_type(report: dict[str, Any]) -> dict[str, int]:
    return {r["type"]: r["enquiries"] for r in rows(report, "by-type")}


# ---------------------------------------------------------------- overview


def test_overview_counts_types_in_the_period_in_local_time(rw: ReportWorld, client: Client) -> None:
    # Not: the partner's own brochure, the other brand's, October's, and 1 December 00:30
    # Rome (still 30 November in UTC).
    assert by_type(get(client, "dispatcher", "overview")) == {
        "Quote": 3,
        "Sample": 1,
        "All types": 4,
    }
    over = rows(get(client, "dispatcher", "overview"), "over-time")
    assert len(over) == 30
    assert over[4] == {"when": "2026-11-05", "quote": 1, "sample": 0, "total": 1}
    december = get(client, "dispatcher", "overview", period="2026-12")
    assert by_type(december) == {"Quote": 1, "All types": 1}


def test_overview_compares_with_the_previous_period(rw: ReportWorld, client: Client) -> None:
    report = get(client, "dispatcher", "overview", compare="1")
    assert report["previous"] == "2026-10"
    quote = rows(report, "by-type")[0]
    assert quote == {"type": "Quote", "enquiries": 3, "previous": 1, "change": 200.0}


def test_overview_by_quarter_has_months(rw: ReportWorld, client: Client) -> None:
    report = get(client, "dispatcher", "overview", granularity="quarter", period="2026-Q4")
    assert by_type(report) == {"Quote": 5, "Sample": 1, "All types": 6}
    assert [r["when"] for r in rows(report, "over-time")] == [
        "2026-10-01",
        "2026-11-01",
        "2026-12-01",
    ]
    assert [r["total"] for r in rows(report, "over-time")] == [1, 4, 1]


# ---------------------------------------------------------------- quotes


def test_quotes_brand_converts_but_sums_only_its_own_amounts(
    rw: ReportWorld, client: Client
) -> None:
    summary = rows(get(client, "dispatcher", "quotes"), "summary")
    assert summary == [
        {
            "period": "2026-11",
            "enquiries": 3,
            "quoted": 2,
            "ordered": 2,
            "conversion": 66.7,
            # Not the 5,000 / 4,500 of the enquiry Dealer B accepted (F3).
            "quote_amount": "1000.00",
            "order_amount": "900.00",
        }
    ]


def test_quotes_partner_sees_its_own_amounts(rw: ReportWorld, client: Client) -> None:
    summary = rows(get(client, "dealer-b-user", "quotes"), "summary")
    assert summary[0]["enquiries"] == 1 and summary[0]["ordered"] == 1
    assert summary[0]["quote_amount"] == "5000.00" and summary[0]["order_amount"] == "4500.00"


def test_quotes_by_each_dimension(rw: ReportWorld, client: Client) -> None:
    def grouped(by: str, user: str = "dispatcher") -> dict[str, tuple[int, int]]:
        report = get(client, user, "quotes", by=by)
        return {r["group"]: (r["enquiries"], r["ordered"]) for r in rows(report, f"by-{by}")}

    assert grouped("status") == {"Order placed": (2, 2), "In progress": (1, 0)}
    assert grouped("country") == {"IT": (2, 2), "AT": (1, 0)}
    assert grouped("channel") == {"web": (2, 2), "Entered by hand": (1, 0)}
    assert grouped("unit") == {"Studio": (1, 1), "No unit": (2, 1)}
    assert grouped("showroom") == {"Studio": (1, 1)}
    assert grouped("user") == {"Nobody": (3, 2)}
    # Only the reader's own tags: the brand never sees the dealer's keyword.
    assert grouped("tag") == {"vip": (2, 2)}
    assert grouped("tag", "dealer-b-user") == {"dealer-secret": (1, 1)}


def test_quotes_conversion_against_the_previous_period(rw: ReportWorld, client: Client) -> None:
    summary = rows(get(client, "dispatcher", "quotes", compare="1"), "summary")
    assert [(r["period"], r["enquiries"], r["conversion"], r["change"]) for r in summary] == [
        ("2026-11", 3, 66.7, 200.0),
        ("2026-10", 1, 100.0, None),
    ]


# ---------------------------------------------------------------- samples, brochures


def test_samples_per_item_and_country(rw: ReportWorld, client: Client) -> None:
    report = get(client, "dispatcher", "samples")
    assert rows(report, "per-item") == [
        {"sku": "S1", "name": "Oak sample", "enquiries": 1, "quantity": 2},
        {"sku": "S2", "name": "Pine sample", "enquiries": 1, "quantity": 1},
    ]
    assert rows(report, "per-country") == [{"country": "IT", "enquiries": 1, "quantity": 3}]


def test_brochures_of_a_partner_are_its_own(rw: ReportWorld, client: Client) -> None:
    assert rows(get(client, "dispatcher", "brochures"), "per-item") == []
    partner = get(client, "dealer-b-user", "brochures")
    assert rows(partner, "per-item") == [
        {"sku": "B1", "name": "Windows 2026", "enquiries": 1, "quantity": 1}
    ]


# ---------------------------------------------------------------- responsiveness


def test_responsiveness_brand_per_partner(rw: ReportWorld, client: Client) -> None:
    report = get(client, "dispatcher", "responsiveness")
    assert rows(report, "per-partner") == [
        {
            "who": "Dealer A",
            "offered": 2,
            "accepted": 1,
            "rejected": 1,
            "expired": 0,
            "median_hours": 7.0,
            "p90_hours": 7.8,
            "processed": 100.0,
        },
        {
            "who": "Dealer B",
            "offered": 2,
            "accepted": 1,
            "rejected": 0,
            "expired": 1,
            "median_hours": 2.0,  # the expiry is no reaction
            "p90_hours": 2.0,
            "processed": 0.0,
        },
    ]
    assert rows(report, "summary") == [
        {
            "period": "2026-11",
            "offered": 4,
            "accepted": 2,
            "rejected": 1,
            "expired": 1,
            "median_hours": 6.0,
            "p90_hours": 7.6,
            "processed": 50.0,
        }
    ]


def test_responsiveness_partner_per_brand(rw: ReportWorld, client: Client) -> None:
    report = get(client, "dealer-b-user", "responsiveness", compare="1")
    per = {r["who"]: (r["offered"], r["median_hours"]) for r in rows(report, "per-brand")}
    assert per == {"Brand Windows": (2, 2.0), "Other Brand": (1, 0.3)}
    assert [r["offered"] for r in rows(report, "summary")] == [3, 0]


# ---------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"channel": "web"}, {"Quote": 2, "Sample": 1}),
        ({"origin": "internal"}, {"Quote": 1}),
        ({"origin": "external"}, {"Quote": 2, "Sample": 1}),
        ({"showroom": "yes"}, {"Quote": 1}),
        ({"showroom": "no"}, {"Quote": 2, "Sample": 1}),
        ({"zone": "south-tyrol"}, {"Quote": 1}),
        ({"referrer": "google"}, {"Quote": 1}),
        ({"country": "at"}, {"Quote": 1}),
        ({"status": "ordered"}, {"Quote": 2}),
        ({"type": "sample"}, {"Sample": 1}),
        ({"tag": "vip"}, {"Quote": 2}),
        ({"basis": "processed"}, {"Quote": 3, "Sample": 1}),
    ],
)
def test_filters(
    rw: ReportWorld, client: Client, params: dict[str, str], expected: dict[str, int]
) -> None:
    got = by_type(get(client, "dispatcher", "overview", **params))
    got.pop("All types")
    assert got == expected


def test_unit_filter_counts_the_units_below(rw: ReportWorld, client: Client) -> None:
    hq = OrgUnit.objects.get(key="hq")
    got = by_type(get(client, "dispatcher", "overview", unit=str(hq.pk)))
    assert got == {"Quote": 1, "All types": 1}  # the studio's, under the head office


def test_bad_filters_are_refused_per_field(rw: ReportWorld, client: Client) -> None:
    stranger = User.objects.get(username="dealer-b-user")
    response = client.get(
        "/api/v1/reports/overview",
        {
            "granularity": "quarter",
            "period": "2026-13",
            "user": str(stranger.pk),  # another organisation's user: as if it did not exist
            "zone": "nowhere",
            "status": "bogus",
            "tag": "dealer-secret",
            "country": "ITA",
        },
        headers=api_token(client, "dispatcher"),
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"period", "user", "zone", "status", "tag", "country"}
    assert (
        client.get(
            "/api/v1/reports/quotes", {"by": "mood"}, headers=api_token(client, "dispatcher")
        ).status_code
        == 400
    )


# ---------------------------------------------------------------- access (F3)


@pytest.mark.parametrize("name", NAMES)
def test_who_may_read_each_report(rw: ReportWorld, client: Client, name: str) -> None:
    assert client.get(f"/api/v1/reports/{name}").status_code == 401
    # Sales users read enquiries, not the organisation's figures.
    for username in ("sales", "dealer-a-user"):
        response = client.get(f"/api/v1/reports/{name}", headers=api_token(client, username))
        assert response.status_code == 404
    assert (
        client.get("/api/v1/reports/secrets", headers=api_token(client, "dispatcher")).status_code
        == 404
    )


@pytest.mark.parametrize("name", NAMES)
def test_another_organisation_sees_nothing_of_the_brand_or_its_partners(
    rw: ReportWorld, client: Client, name: str
) -> None:
    report = get(client, "other-user", name)
    text = str(report)
    if name == "responsiveness":  # its own offer to Dealer B, nothing of the brand's
        assert [(r["who"], r["offered"]) for r in rows(report, "per-partner")] == [("Dealer B", 1)]
    for secret in (
        "Dealer A",
        "5000",
        "4500",
        "1000.00",
        "Oak sample",
        "Windows 2026",
        "vip",
    ):
        assert secret not in text
    if name == "overview":
        assert by_type(report) == {"Quote": 1, "All types": 1}
    if name == "quotes":
        assert rows(report, "summary")[0]["quote_amount"] == "777.00"


@pytest.mark.parametrize("name", NAMES)
def test_brand_never_sees_partner_amounts_or_own_enquiries_of_partners(
    rw: ReportWorld, client: Client, name: str
) -> None:
    text = str(get(client, "dispatcher", name, compare="1", by="tag" if name == "quotes" else ""))
    for secret in ("5000", "4500", "777", "Windows 2026", "dealer-secret", "Other Brand"):
        assert secret not in text


@pytest.mark.parametrize("name", NAMES)
def test_partner_sees_only_its_own(rw: ReportWorld, client: Client, name: str) -> None:
    text = str(get(client, "dealer-b-user", name))
    for secret in ("1000.00", "900.00", "777.00", "Oak sample", "vip", "Dealer A"):
        assert secret not in text


def test_processing_date_counts_what_was_worked_on_in_the_period(
    rw: ReportWorld, client: Client
) -> None:
    from leadhub.enquiries.models import Enquiry

    from .world import at

    Enquiry.objects.filter(pk=rw.e["october"].pk).update(updated_at=at(11, 2))
    Enquiry.objects.filter(pk=rw.e["sample"].pk).update(updated_at=at(12, 3))
    assert by_type(get(client, "dispatcher", "overview", basis="processed")) == {
        "Quote": 4,
        "All types": 4,
    }
    assert by_type(get(client, "dispatcher", "overview")) == {
        "Quote": 3,
        "Sample": 1,
        "All types": 4,
    }


def test_default_period_is_the_current_month_in_the_organisations_time_zone(
    rw: ReportWorld, client: Client, time_machine: Any
) -> None:
    from .world import at

    time_machine.move_to(at(12, 1, 0, 30), tick=False)  # still 30 November in UTC
    token = api_token(client, "dispatcher")
    body = client.get("/api/v1/reports/overview", headers=token).json()
    assert body["period"] == "2026-12" and by_type(body) == {"Quote": 1, "All types": 1}
    body = client.get("/api/v1/reports/quotes?granularity=semester", headers=token).json()
    assert body["period"] == "2026-H2"
