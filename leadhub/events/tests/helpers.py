"""An event channel, a brand admin, and events organised by a user, a unit and a partner."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.test import Client
from django.utils import timezone

from leadhub.events.actions import Organiser, save_event
from leadhub.events.models import Event
from leadhub.network.load import load_network
from leadhub.orgs.models import Organisation, OrgUnit, User
from leadhub.testing.world import PASSWORD, network

EVENT_TOKEN = "brand-event-token-00001"
FIXTURE = (
    Path(__file__).parents[2] / "intake/channels/event/tests/fixtures/architect-talk-signup.json"
)


def add_event_world() -> None:
    data = network()
    data["channels"].append(
        {"key": "events", "brand": "brand", "kind": "event", "token": EVENT_TOKEN}
    )
    data["users"].append(
        {
            "username": "brand-admin",
            "org": "brand",
            "unit": "hq",
            "email": "admin@brand.example",
            "password": PASSWORD,
            "roles": ["admin"],
        }
    )
    load_network(data)


def event(key: str, organiser: Organiser, capacity: int | None = None) -> Event:
    return save_event(
        None,
        brand=Organisation.objects.get(key="brand"),
        key=key,
        title=f"Talk {key}",
        starts_at=timezone.now() + timedelta(days=30),
        place="Studio Bolzano",
        organiser=organiser,
        capacity=capacity,
    )


def by_user() -> Event:
    return event("talk-user", Organiser(user=User.objects.get(username="sales")))


def by_unit() -> Event:
    return event("talk-unit", Organiser(unit=OrgUnit.objects.get(key="studio")))


def by_partner(capacity: int | None = None) -> Event:
    return event(
        "talk-partner",
        Organiser(partner=Organisation.objects.get(key="dealer-a")),
        capacity=capacity,
    )


def signup(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(FIXTURE.read_text())
    body.pop("external_id")
    body.update(overrides)
    return body


def sign_up(
    client: Client, body: dict[str, Any], *, token: str = EVENT_TOKEN, channel: str = "events"
) -> Any:
    return client.post(
        f"/api/v1/intake/{channel}/signups",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
