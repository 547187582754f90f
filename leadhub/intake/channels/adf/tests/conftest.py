from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from leadhub.intake.channels.registry import checked_settings
from leadhub.intake.models import Channel
from leadhub.testing.world import World

FIXTURES = Path(__file__).parent / "fixtures"
ADF_TOKEN = "adf-channel-token-0003"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def adf_channel(world: World, key: str = "dealer-xml", **settings: Any) -> Channel:
    return Channel.objects.create(
        key=key,
        brand=world.brand,
        kind="adf",
        token=ADF_TOKEN,
        settings=checked_settings("adf", settings),
    )


@pytest.fixture
def channel(world: World) -> Channel:
    return adf_channel(world)


def post_adf(
    client: Client,
    body: bytes,
    *,
    channel: str = "dealer-xml",
    token: str = ADF_TOKEN,
    content_type: str = "application/xml",
    headers: dict[str, str] | None = None,
) -> Any:
    return client.post(
        f"/api/v1/intake/{channel}/adf",
        body,
        content_type=content_type,
        headers={"Authorization": f"Bearer {token}", **(headers or {})},
    )
