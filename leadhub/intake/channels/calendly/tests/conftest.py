import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from leadhub.intake.channels.calendly.signature import sign
from leadhub.testing.world import World, build_world, network

FIXTURES = Path(__file__).parent / "fixtures"
SIGNING_KEY = "calendly-signing-key-0123456789"


def calendly_channel(key: str = "calendly", **settings: Any) -> dict[str, Any]:
    return {
        "key": key,
        "brand": "brand",
        "kind": "calendly",
        "token": "unused-by-calendly-00",
        "settings": {"signing_key": SIGNING_KEY, **settings},
    }


def booking_world(*, offer: bool = False) -> World:
    net = network()
    net["channels"].append(calendly_channel())
    if offer:  # bookings go to Dealer A as an offer
        net["rules"].append(
            {
                "key": "bookings-to-a",
                "brand": "brand",
                "order": 10,
                "when": {"channel": "calendly"},
                "then": {"offer_to": ["dealer-a"]},
            }
        )
    return build_world(net)


@pytest.fixture
def calendly_world(db: None) -> World:
    return booking_world()


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def post(
    client: Client,
    body: bytes | str,
    *,
    key: str = SIGNING_KEY,
    at: int | None = None,
    channel: str = "calendly",
) -> Any:
    raw = fixture(body) if isinstance(body, str) else body
    header = sign(raw, key, at=int(time.time()) if at is None else at)
    return client.post(
        f"/api/v1/intake/{channel}/calendly",
        raw,
        content_type="application/json",
        headers={"Calendly-Webhook-Signature": header},
    )
