"""Round robin through the planner: per rule, the pool member offered to least recently."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from leadhub.enquiries.models import Enquiry
from leadhub.network.load import load_network
from leadhub.routing.planner import route_many
from leadhub.testing.handoff import TRENTO
from leadhub.testing.world import World, build_world, deliver, network, payload

pytestmark = pytest.mark.django_db

MILANO = {"street": "Via Dante 1", "postal_code": "20121", "city": "Milano", "country": "IT"}


@pytest.fixture
def world(db: None) -> World:
    world = build_world()
    data = network()
    data["rules"] += [
        {
            "key": "tn-quotes",
            "brand": "brand",
            "order": 10,
            "when": {"postal_code": "38*", "type": "quote"},
            "then": {"offer_to": ["dealer-a", "dealer-b"], "strategy": "round_robin"},
        },
        {
            "key": "tn-samples",
            "brand": "brand",
            "order": 20,
            "when": {"postal_code": "38*", "type": "sample"},
            "then": {"offer_to": ["dealer-b", "dealer-a"]},  # round robin by default
        },
    ]
    load_network(data)
    world.brand.refresh_from_db()
    return world


def delivered(client: Client, address: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = payload(**overrides)
    body["contact"]["address"] = dict(address)
    response = deliver(client, body)
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_intake_takes_turns_through_the_pool(world: World, client: Client) -> None:
    targets = [delivered(client, TRENTO)["routed_to"]["target"] for _ in range(4)]
    assert targets == ["dealer-a", "dealer-b", "dealer-a", "dealer-b"]


def test_each_rule_keeps_its_own_turns_within_one_batch(world: World, client: Client) -> None:
    # tn-quotes offered to dealer-a, then tn-samples to dealer-b, most recently of all.
    assert delivered(client, TRENTO)["routed_to"]["target"] == "dealer-a"
    assert delivered(client, TRENTO, type="sample")["routed_to"]["target"] == "dealer-b"
    # Two enquiries from the dispatcher queue, moved to Trento, routed together.
    numbers = [delivered(client, MILANO, type=kind)["number"] for kind in ("quote", "sample")]
    with transaction.atomic():
        batch = list(
            Enquiry.objects.select_for_update(of=("self",))
            .select_related("contact", "channel", "origin_brand", "owner")
            .filter(number__in=numbers)
            .order_by("number")
        )
        for e in batch:
            e.contact.postal_code = TRENTO["postal_code"]
        routed = route_many(batch, now=timezone.now(), occasion="by hand")
    # Each rule passes over the partner it offered to itself, not the one offered last.
    assert [r.target for r in routed] == ["dealer-b", "dealer-a"]
    assert [r.kind for r in routed] == ["offer", "offer"]
