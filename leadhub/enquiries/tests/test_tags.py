"""Tags (C5): create on first use, rename, attach, detach, filter; routing matches them."""

from __future__ import annotations

import pytest
from django.test import Client

from leadhub.enquiries.models import Tag
from leadhub.enquiries.tags import TagRefused, rename_tag
from leadhub.testing.world import World, api_token, deliver, login, payload

pytestmark = pytest.mark.django_db


def test_tags_through_the_api(world: World, client: Client) -> None:
    a, b = (deliver(client, payload()).json()["number"] for _ in range(2))
    auth = api_token(client, "dispatcher")
    tagged = client.post(
        f"/api/v1/enquiries/{a.replace('/', '-')}/tags",
        {"name": "  Fair  2026 "},
        content_type="application/json",
        headers=auth,
    ).json()
    assert (
        tagged["tags"] == ["Fair 2026"]
        and tagged["history"][-1]["message"] == "Tagged “Fair 2026”."
    )
    listed = client.get("/api/v1/enquiries?tag=Fair 2026", headers=auth).json()["items"]
    assert [i["number"] for i in listed] == [a]
    untagged = client.delete(
        f"/api/v1/enquiries/{a.replace('/', '-')}/tags/Fair 2026", headers=auth
    ).json()
    assert untagged["tags"] == []
    assert (
        client.post(
            f"/api/v1/enquiries/{b.replace('/', '-')}/tags",
            {"name": ""},
            content_type="application/json",
            headers=auth,
        ).status_code
        == 422
    )


def test_rename_and_privacy(world: World, client: Client) -> None:
    number = deliver(client, payload()).json()["number"]
    login(client, "dispatcher")
    client.post(f"/enquiries/{number.replace('/', '-')}/tags/", {"name": "vip"})
    dispatcher = World.user("dispatcher")
    rename_tag(dispatcher, "vip", "VIP customer")
    assert "VIP customer" in client.get(f"/enquiries/{number.replace('/', '-')}/").content.decode()
    Tag.objects.create(organisation=world.brand, name="press")
    with pytest.raises(TagRefused, match="exists already"):
        rename_tag(dispatcher, "press", "VIP customer")
    assert number in client.get("/enquiries/?tag=VIP customer").content.decode()
    login(client, "other-user")  # another organisation: neither the enquiry nor the tag
    assert (
        client.post(f"/enquiries/{number.replace('/', '-')}/tags/", {"name": "x"}).status_code
        == 404
    )


def test_routing_matches_tags(world: World, client: Client) -> None:
    from leadhub.network.load import load_network
    from leadhub.testing.world import network

    data = network()
    data["rules"].append(
        {
            "key": "vip",
            "brand": "brand",
            "order": 1,
            "when": {"tags": "vip"},
            "then": {"assign_to_user": "sales"},
        }
    )
    load_network(data)
    number = deliver(client, payload()).json()["number"]
    auth = api_token(client, "dispatcher")
    url = f"/api/v1/enquiries/{number.replace('/', '-')}"
    client.post(url + "/tags", {"name": "vip"}, content_type="application/json", headers=auth)
    routed = client.post(url + "/route", headers=auth).json()
    assert routed["routed_to"] == {
        "kind": "user",
        "target": "sales",
        "description": "assigned to sales",
    }
    assert "tagged vip" in routed["explanation"]


def test_tags_differing_only_in_case_are_one(world: World, client: Client) -> None:
    from leadhub.enquiries.models import Enquiry, Tag
    from leadhub.enquiries.tags import tag

    number = deliver(client, payload()).json()["number"]
    e = Enquiry.objects.get(number=number)
    first = tag(e, "VIP", by=World.user("dispatcher"))
    assert tag(e, "vip", by=World.user("dispatcher")) == first
    assert list(Tag.objects.values_list("name", flat=True)) == ["VIP"]
