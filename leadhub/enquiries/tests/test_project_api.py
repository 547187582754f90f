"""C8 project data through the API: the fields sent change, the history says which."""

from __future__ import annotations

import pytest
from django.test import Client

from leadhub.testing.world import World, api_token, deliver, payload

pytestmark = pytest.mark.django_db


def project_url(number: str) -> str:
    return f"/api/v1/enquiries/{number.replace('/', '-')}/project"


def test_project_data_changes_only_what_is_sent(world: World, client: Client) -> None:
    number = deliver(client, payload(project_name="Old house")).json()["number"]
    auth = api_token(client, "dispatcher")
    body = {"project_type": "renovation", "site_city": " Bolzano ", "site_country": "it"}
    response = client.patch(
        project_url(number), body, content_type="application/json", headers=auth
    )
    assert response.status_code == 200, response.content
    detail = response.json()
    assert detail["project_name"] == "Old house" and detail["project_type"] == "renovation"
    assert detail["site_address"]["city"] == "Bolzano" and detail["site_address"]["country"] == "IT"
    assert detail["history"][-1]["message"] == "Changed: project type, site city, site country."


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"project_type": "castle"}, "renovation, new_build or other"),
        ({"site_country": "Italy"}, "two-letter code"),
    ],
)
def test_bad_project_data_is_refused_and_nothing_changes(
    world: World, client: Client, body: dict[str, str], reason: str
) -> None:
    number = deliver(client, payload()).json()["number"]
    auth = api_token(client, "dispatcher")
    response = client.patch(
        project_url(number), body, content_type="application/json", headers=auth
    )
    assert response.status_code == 422 and reason in response.json()["detail"]
    detail = client.get(f"/api/v1/enquiries/{number.replace('/', '-')}", headers=auth).json()
    assert detail["project_type"] == "" and detail["site_address"] is None


def test_outsiders_cannot_change_project_data(world: World, client: Client) -> None:
    number = deliver(client, payload()).json()["number"]
    for username in ("other-user", "dealer-a-user"):
        response = client.patch(
            project_url(number),
            {"project_name": "x"},
            content_type="application/json",
            headers=api_token(client, username),
        )
        assert response.status_code == 404
