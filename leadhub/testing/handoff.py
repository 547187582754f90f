"""A world with routing rules for hand-off tests: Trentino goes to a pool of two dealers."""

from __future__ import annotations

from typing import Any

from leadhub.network.load import load_network

from .world import World, build_world, network

RULES: list[dict[str, Any]] = [
    {
        "key": "tn-pool",
        "brand": "brand",
        "order": 10,
        "when": {"postal_code": "38*"},
        "then": {"offer_to": ["dealer-a", "dealer-b"], "strategy": "least_loaded"},
    },
    {
        "key": "bz-brochures",
        "brand": "brand",
        "order": 20,
        "when": {"zone": "south-tyrol", "type": "brochure"},
        "then": {"assign_to_user": "sales"},
    },
    {
        "key": "bz-studio",
        "brand": "brand",
        "order": 30,
        "when": {"zone": "south-tyrol"},
        "then": {"assign_to_unit": "studio"},
    },
]


def build_handoff_world() -> World:
    world = build_world()
    data = network()
    data["rules"] += RULES
    load_network(data)
    world.brand.refresh_from_db()
    return world


TRENTO = {
    "street": "Via Belenzani 3",
    "postal_code": "38122",
    "city": "Trento",
    "province": "TN",
    "country": "IT",
}
