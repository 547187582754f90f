"""Channels kept in the process: tokens and brands reach intake within CHANNEL_TTL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from leadhub.intake import lookup
from leadhub.intake.models import Channel
from leadhub.network.load import load_network
from leadhub.testing.world import BRAND_TOKEN, World, deliver, network, payload

pytestmark = pytest.mark.django_db

NEW_TOKEN = "brand-channel-token-0002"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The lookup's monotonic clock, moved by hand: clock[0] += seconds."""
    now = [1000.0]
    monkeypatch.setattr(lookup, "monotonic", lambda: now[0])
    return now


def status(client: Client, token: str, **kwargs: Any) -> int:
    return int(deliver(client, payload(), token=token, **kwargs).status_code)


def test_a_kept_channel_costs_no_query(world: World, client: Client) -> None:
    assert status(client, BRAND_TOKEN) == 201
    with CaptureQueriesContext(connection) as captured:
        assert status(client, BRAND_TOKEN) == 201
    assert not any('FROM "intake_channel"' in q["sql"] for q in captured.captured_queries)


def test_a_new_token_works_at_once_and_the_old_one_until_the_ttl(
    world: World, client: Client, clock: list[float]
) -> None:
    assert status(client, BRAND_TOKEN) == 201
    # Another process rotates the token.
    Channel.objects.filter(key="web").update(token=NEW_TOKEN)
    clock[0] += 1
    assert status(client, NEW_TOKEN) == 201  # a mismatch reads the channel again
    assert status(client, BRAND_TOKEN) == 401  # and that read replaced the kept one
    Channel.objects.filter(key="web").update(token=BRAND_TOKEN)
    assert status(client, NEW_TOKEN) == 201  # kept: still accepted ...
    clock[0] += lookup.CHANNEL_TTL
    assert status(client, NEW_TOKEN) == 401  # ... until the TTL is over


def test_loading_the_network_forgets_at_once(world: World, client: Client) -> None:
    assert status(client, BRAND_TOKEN) == 201
    data = network()
    data["channels"][0]["token"] = NEW_TOKEN
    load_network(data)
    assert status(client, BRAND_TOKEN) == 401
    assert status(client, NEW_TOKEN) == 201


def test_unknown_keys_are_not_kept(world: World, client: Client) -> None:
    assert status(client, BRAND_TOKEN, channel="shop") == 401
    Channel.objects.create(key="shop", brand=world.brand, token=BRAND_TOKEN)
    assert status(client, BRAND_TOKEN, channel="shop") == 201
    assert set(lookup._cache) == {"shop"}
