"""Who sees and decides duplicates (decision 0048): every page and endpoint answers 404
to another organisation, to a partner with an offer not accepted, and to a brand that
only follows its partner's enquiry; a partner never learns of the brand's contacts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leadhub.duplicates.models import Candidate, Merge
from leadhub.enquiries.models import Enquiry
from leadhub.orgs.models import User
from leadhub.routing.actions import accept_offer
from leadhub.testing.handoff import build_handoff_world
from leadhub.testing.world import World, api_token, login

from .helpers import checked, contact, receive, trento, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_handoff_world()


@pytest.fixture
def pair(world: World, client: Client) -> tuple[Enquiry, Enquiry, Candidate]:
    first = receive(client, contact())
    second = receive(client, contact(last_name="Moreti", phone="0471 555444"))
    (found,) = checked(second)
    return first, second, found


def pages(found: Candidate, merge_id: int) -> list[tuple[str, str]]:
    a, b = found.enquiry.contact_id, found.contact_id
    return [
        ("get", f"/duplicates/compare/{a}/{b}/"),
        ("post", f"/duplicates/compare/{a}/{b}/"),
        ("post", f"/duplicates/{found.pk}/link/"),
        ("post", f"/duplicates/{found.pk}/merge/"),
        ("post", f"/duplicates/{found.pk}/not-duplicate/"),
        ("post", f"/duplicates/merges/{merge_id}/undo/"),
    ]


def endpoints(found: Candidate, merge_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    a, b = found.enquiry.contact_id, found.contact_id
    return [
        ("get", f"/api/v1/enquiries/{found.enquiry.url_number}/duplicates", {}),
        ("post", f"/api/v1/duplicates/{found.pk}/link", {}),
        ("post", f"/api/v1/duplicates/{found.pk}/merge", {}),
        ("post", f"/api/v1/duplicates/{found.pk}/not-duplicate", {}),
        ("post", "/api/v1/duplicates/merges", {"keep": b, "merge": a}),
        ("post", f"/api/v1/duplicates/merges/{merge_id}/undo", {}),
    ]


def call(client: Client, method: str, path: str, body: dict[str, Any], auth: dict[str, str]) -> Any:
    if method == "get":
        return client.get(path, headers=auth)
    return client.post(path, body, content_type="application/json", headers=auth)


def an_undone_merge(found: Candidate) -> Merge:
    """A merge of the pair, undone at once: both contacts as they were, an id to try."""
    from leadhub.duplicates.actions import merge_contacts, undo_merge

    by = User.objects.get(username="dispatcher")
    assert found.contact is not None
    merge = merge_contacts(found.contact, found.enquiry.contact, by=by)
    undo_merge(merge, by=by)
    Candidate.objects.filter(pk=found.pk).update(decision="")
    return merge


def test_the_owner_sees_the_panel_and_decides_on_the_page(
    pair: tuple[Enquiry, Enquiry, Candidate], client: Client
) -> None:
    first, second, found = pair
    login(client, "dispatcher")
    html = client.get(url(second)).content.decode()
    assert "Possible duplicates" in html and "same e-mail" in html
    assert f"/duplicates/{found.pk}/merge/" in html and "Not a duplicate" in html
    compare = client.get(f"/duplicates/compare/{second.contact_id}/{first.contact_id}/")
    assert compare.status_code == 200 and "Moreti" in compare.text and "Keep" in compare.text
    assert client.post(f"/duplicates/{found.pk}/merge/").status_code == 302
    merge = Merge.objects.get()
    html = client.get(url(second)).content.decode()
    assert f"/duplicates/merges/{merge.pk}/undo/" in html  # undo from the page
    answer = client.post(f"/duplicates/merges/{merge.pk}/undo/", {"enquiry": second.number})
    assert answer.status_code == 302 and answer["Location"] == url(second)
    assert Enquiry.objects.get(pk=second.pk).contact_id != first.contact_id


def test_compare_merges_the_chosen_way(
    pair: tuple[Enquiry, Enquiry, Candidate], client: Client
) -> None:
    first, second, _ = pair
    login(client, "dispatcher")
    path = f"/duplicates/compare/{first.contact_id}/{second.contact_id}/"
    answer = client.post(path, {"keep": str(second.contact_id)})
    assert answer.status_code == 302
    merge = Merge.objects.get()
    assert (merge.kept_id, merge.merged_id) == (second.contact_id, first.contact_id)


def test_the_api_lists_and_decides(
    pair: tuple[Enquiry, Enquiry, Candidate], client: Client
) -> None:
    first, second, found = pair
    auth = api_token(client, "dispatcher")
    got = client.get(f"/api/v1/enquiries/{second.url_number}/duplicates", headers=auth).json()
    (c,) = got["candidates"]
    assert (c["id"], c["kind"], c["contact_id"]) == (found.pk, "enquiry", first.contact_id)
    assert c["open_enquiry"] == first.number and "same e-mail" in c["reasons"]
    merged = call(client, "post", f"/api/v1/duplicates/{found.pk}/merge", {}, auth)
    assert merged.status_code == 200 and merged.json()["kept_id"] == first.contact_id
    undo = call(client, "post", f"/api/v1/duplicates/merges/{merged.json()['id']}/undo", {}, auth)
    assert undo.status_code == 200 and undo.json()["undone_at"]
    # After the undo the user can still keep them apart (or link).
    apart = call(client, "post", f"/api/v1/duplicates/{found.pk}/not-duplicate", {}, auth)
    assert apart.status_code == 200
    link = call(client, "post", f"/api/v1/duplicates/{found.pk}/link", {}, auth)
    assert link.status_code == 200 and link.json()["contact_id"] == first.contact_id


def test_the_api_refuses_what_the_state_forbids_with_409(
    pair: tuple[Enquiry, Enquiry, Candidate], client: Client
) -> None:
    first = pair[0]
    auth = api_token(client, "dispatcher")
    itself = {"keep": first.contact_id, "merge": first.contact_id}
    refused = call(client, "post", "/api/v1/duplicates/merges", itself, auth)
    assert refused.status_code == 409
    assert refused.json() == {"detail": "A contact cannot be merged into itself."}


@pytest.mark.parametrize("username", ["other-user", "dealer-a-user", "dealer-b-user"])
def test_others_get_404_everywhere(
    pair: tuple[Enquiry, Enquiry, Candidate], client: Client, username: str
) -> None:
    _, second, found = pair
    merge = an_undone_merge(found)
    login(client, username)
    assert client.get(url(second)).status_code == 404
    for method, path in pages(found, merge.pk):
        assert getattr(client, method)(path).status_code == 404, (method, path)
    auth = api_token(client, username)
    for method, path, body in endpoints(found, merge.pk):
        assert call(client, method, path, body, auth).status_code == 404, (method, path)
    assert Merge.objects.get().undone_at is not None  # nothing changed
    assert Candidate.objects.get(pk=found.pk).decision == ""
    assert Enquiry.objects.get(pk=second.pk).contact_id == second.contact_id
    # Their admins' list shows none of it (other-user and dealer-b-user are admins).
    listing = client.get("/duplicates/")
    assert listing.status_code in (200, 404) and "Moreti" not in listing.text


def test_admins_list_their_organisations_waiting_pairs(
    pair: tuple[Enquiry, Enquiry, Candidate], client: Client
) -> None:
    login(client, "dispatcher")
    assert client.get("/duplicates/").status_code == 404  # not an admin
    User.objects.filter(username="dispatcher").update(roles=["admin", "dispatcher"])
    html = client.get("/duplicates/").content.decode()
    assert "Moreti" in html and "same e-mail" in html
    assert 'href="/duplicates/"' in client.get("/enquiries/").content.decode()  # the nav link
    found = pair[2]
    answer = client.post(f"/duplicates/{found.pk}/not-duplicate/", {"next": "list"})
    assert answer["Location"] == "/duplicates/"
    assert "Moreti" not in client.get("/duplicates/").content.decode()


def test_a_partner_never_learns_of_the_brands_contacts(world: World, client: Client) -> None:
    receive(client, contact())  # the brand's own Luca
    offered = receive(client, trento())  # offered to a dealer, same e-mail
    (found,) = checked(offered)
    partner = offered.offers.get().partner.key
    username = {"dealer-a": "dealer-a-user", "dealer-b": "dealer-b-user"}[partner]
    login(client, username)
    preview = client.get(url(offered))
    assert preview.status_code == 200 and "duplicate" not in preview.text.lower()
    auth = api_token(client, username)
    path = f"/api/v1/enquiries/{offered.url_number}/duplicates"
    assert client.get(path, headers=auth).status_code == 404
    accept_offer(offered, by=User.objects.get(username=username), now=timezone.now())
    checked(offered)
    html = client.get(url(offered)).content.decode()
    assert "Possible duplicates" not in html and "same e-mail" not in html
    got = client.get(path, headers=auth).json()
    assert got["candidates"] == []
    assert client.post(f"/duplicates/{found.pk}/link/").status_code == 404
    # The brand now follows the enquiry: its old candidate is no longer shown either.
    login(client, "dispatcher")
    assert "Possible duplicates" not in client.get(url(offered)).content.decode()
