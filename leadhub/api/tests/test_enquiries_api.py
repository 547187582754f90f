import pytest
from django.test import Client

from leadhub.enquiries.models import Enquiry
from leadhub.testing.world import OTHER_TOKEN, World, api_token, deliver, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def numbers(world: World, client: Client) -> list[str]:
    return [
        deliver(client, payload(type=t)).json()["number"] for t in ("quote", "brochure", "quote")
    ]


def test_token_login(world: World, client: Client) -> None:
    bad = client.post(
        "/api/v1/auth/token",
        {"username": "sales", "password": "nope"},
        content_type="application/json",
    )
    assert bad.status_code == 401
    assert client.get("/api/v1/enquiries").status_code == 401
    assert (
        client.get("/api/v1/enquiries", headers={"Authorization": "Bearer lh_forged"}).status_code
        == 401
    )


def test_list_and_filters(numbers: list[str], client: Client) -> None:
    auth = api_token(client, "dispatcher")
    items = client.get("/api/v1/enquiries", headers=auth).json()["items"]
    assert [i["number"] for i in items] == numbers  # by due date, then arrival
    quotes = client.get("/api/v1/enquiries?type=quote", headers=auth).json()["items"]
    assert len(quotes) == 2
    assert client.get("/api/v1/enquiries?status=new", headers=auth).json()["items"]
    assert client.get("/api/v1/enquiries?mine=true", headers=auth).json()["items"] == []
    Enquiry.objects.filter(number=numbers[1]).update(assigned_user=World.user("dispatcher"))
    mine = client.get("/api/v1/enquiries?mine=true", headers=auth).json()["items"]
    assert [i["number"] for i in mine] == [numbers[1]]
    assert client.get("/api/v1/enquiries?type=pizza", headers=auth).status_code == 422


def walk(client: Client, auth: dict[str, str], query: str) -> list[str]:
    """Every page of the list, following next_cursor; the numbers in the order served."""
    seen: list[str] = []
    url = f"/api/v1/enquiries?{query}"
    while url:
        page = client.get(url, headers=auth).json()
        seen += [i["number"] for i in page["items"]]
        url = (
            f"/api/v1/enquiries?{query}&cursor={page['next_cursor']}" if page["next_cursor"] else ""
        )
    return seen


def test_keyset_pagination_walks_every_enquiry_once(world: World, client: Client) -> None:
    created = [deliver(client, payload()).json()["number"] for _ in range(7)]
    auth = api_token(client, "dispatcher")
    assert walk(client, auth, "limit=3") == created
    assert client.get("/api/v1/enquiries?cursor=garbage", headers=auth).status_code == 400
    assert client.get("/api/v1/enquiries?limit=0", headers=auth).status_code == 400


def test_detail_shows_contact_and_history(numbers: list[str], client: Client) -> None:
    auth = api_token(client, "dispatcher")
    url_number = numbers[0].replace("/", "-")
    body = client.get(f"/api/v1/enquiries/{url_number}", headers=auth).json()
    assert body["number"] == numbers[0]
    assert body["contact"]["email"] == "luca.moretti@example.com"
    assert body["history"][0]["kind"] == "received"
    # The slash form, percent-encoded, names the same enquiry.
    encoded = numbers[0].replace("/", "%2F")
    assert client.get(f"/api/v1/enquiries/{encoded}", headers=auth).json()["number"] == numbers[0]


@pytest.mark.parametrize("username", ["other-user", "dealer-a-user", "dealer-b-user"])
def test_other_organisations_get_404_and_empty_lists(
    numbers: list[str], client: Client, username: str
) -> None:
    auth = api_token(client, username)
    assert client.get("/api/v1/enquiries", headers=auth).json()["items"] == []
    for number in numbers:
        response = client.get(f"/api/v1/enquiries/{number.replace('/', '-')}", headers=auth)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_other_brand_sees_only_its_own(numbers: list[str], client: Client) -> None:
    own = deliver(client, payload(), channel="other-web", token=OTHER_TOKEN).json()["number"]
    auth = api_token(client, "other-user")
    assert [i["number"] for i in client.get("/api/v1/enquiries", headers=auth).json()["items"]] == [
        own
    ]


def test_session_auth_works_for_the_browser(numbers: list[str], client: Client) -> None:
    client.login(username="dispatcher", password="test-pass-123")
    assert len(client.get("/api/v1/enquiries").json()["items"]) == 3


def test_openapi_documents_the_intake_body(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    body = schema["paths"]["/api/v1/intake/{channel}/enquiries"]["post"]["requestBody"]
    props = body["content"]["application/json"]["schema"]["properties"]
    assert {"type", "contact", "utm", "external_id"} <= set(props)
    assert "$ref" not in str(props["contact"])
    assert client.get("/api/docs").status_code == 200


def test_health(client: Client) -> None:
    assert client.get("/api/v1/health").json() == {"status": "ok"}


def test_newest_first_walks_every_enquiry_once(world: World, client: Client) -> None:
    created = [deliver(client, payload()).json()["number"] for _ in range(5)]
    assert walk(client, api_token(client, "dispatcher"), "sort=newest&limit=2") == created[::-1]


def test_list_page_sorts_newest_first(world: World, client: Client) -> None:
    from leadhub.testing.world import login

    first, second = (deliver(client, payload()).json()["number"] for _ in range(2))
    login(client, "dispatcher")
    html = client.get("/enquiries/?sort=newest").content.decode()
    assert html.index(second) < html.index(first)
