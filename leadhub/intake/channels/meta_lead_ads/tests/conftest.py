from collections.abc import Iterator
from typing import Any

import pytest

from leadhub.testing.world import World, build_world, network

from .fakegraph import FakeGraph, fake_graph

APP_SECRET = "meta-app-secret-0123456789"
VERIFY_TOKEN = "meta-verify-token-42"


def meta_channel(graph_url: str, **settings: Any) -> dict[str, Any]:
    return {
        "key": "meta",
        "brand": "brand",
        "kind": "meta_lead_ads",
        "token": "unused-by-meta-0000",
        "settings": {
            "app_secret": APP_SECRET,
            "verify_token": VERIFY_TOKEN,
            "page_access_token": "EAAGm0PX4ZCpsBAPageToken123",
            "graph_url": graph_url,
            "graph_version": "v23.0",
            **settings,
        },
    }


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    with fake_graph() as g:
        yield g


@pytest.fixture
def meta_world(db: None, graph: FakeGraph) -> World:
    net = network()
    net["channels"].append(
        meta_channel(
            graph.url,
            forms={
                "902837465102938": {
                    "type": "brochure",
                    "fields": {"projekt": "project_name", "datenschutz_gelesen": "ignore"},
                }
            },
        )
    )
    return build_world(net)
