"""The standard test world: a brand, two partners, a second brand, their users and channels.

Built through the network loader, so tests exercise the same path as operators.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.test import Client

from leadhub.intake.models import Channel
from leadhub.network.load import load_network
from leadhub.orgs.models import Organisation, User

PASSWORD = "test-pass-123"
BRAND_TOKEN = "brand-channel-token-0001"
OTHER_TOKEN = "other-channel-token-0002"

WEEKDAYS_8_TO_5 = {d: "08:00-12:00,13:00-17:00" for d in ("mon", "tue", "wed", "thu", "fri")}

NETWORK: dict[str, Any] = {
    "brands": [
        {
            "key": "brand",
            "name": "Brand Windows",
            "country": "IT",
            "subdivision": "BZ",
            "timezone": "Europe/Rome",
            "working_hours": WEEKDAYS_8_TO_5,
            "response_hours": 48,
        },
        {"key": "other-brand", "name": "Other Brand", "country": "DE", "timezone": "Europe/Berlin"},
    ],
    "partners": [
        {
            "key": "dealer-a",
            "name": "Dealer A",
            "email": "a@dealer.example",
            "country": "IT",
            "subdivision": "TN",
            "timezone": "Europe/Rome",
            "grade": 2,
            "brands": ["brand"],
        },
        {
            "key": "dealer-b",
            "name": "Dealer B",
            "email": "b@dealer.example",
            "country": "AT",
            "timezone": "Europe/Vienna",
            "grade": 1,
            "brands": ["brand"],
        },
    ],
    "units": [
        {"key": "hq", "org": "brand", "name": "Head office"},
        {"key": "studio", "org": "brand", "name": "Studio", "parent": "hq"},
    ],
    "users": [
        {
            "username": "dispatcher",
            "org": "brand",
            "unit": "hq",
            "email": "d@brand.example",
            "password": PASSWORD,
            "roles": ["dispatcher"],
        },
        {
            "username": "sales",
            "org": "brand",
            "unit": "studio",
            "email": "s@brand.example",
            "password": PASSWORD,
            "roles": ["sales"],
        },
        {
            "username": "dealer-a-user",
            "org": "dealer-a",
            "email": "u@a.example",
            "password": PASSWORD,
            "roles": ["sales"],
            "rights": {"*": "all"},
        },
        {
            "username": "dealer-a-own",
            "org": "dealer-a",
            "email": "own@a.example",
            "password": PASSWORD,
            "roles": ["sales"],
        },
        {
            "username": "dealer-b-user",
            "org": "dealer-b",
            "email": "u@b.example",
            "password": PASSWORD,
            "roles": ["admin", "sales"],
        },
        {
            "username": "other-user",
            "org": "other-brand",
            "email": "u@other.example",
            "password": PASSWORD,
            "roles": ["admin", "dispatcher"],
        },
    ],
    "zones": [
        {"key": "south-tyrol", "brand": "brand", "country": "IT", "postal_codes": ["39000-39999"]}
    ],
    "channels": [
        {"key": "web", "brand": "brand", "kind": "webhook", "token": BRAND_TOKEN},
        {"key": "other-web", "brand": "other-brand", "kind": "webhook", "token": OTHER_TOKEN},
    ],
    "rules": [{"key": "fallback", "brand": "brand", "order": 100, "then": {"dispatcher": True}}],
}


@dataclass(frozen=True)
class World:
    brand: Organisation
    other_brand: Organisation
    dealer_a: Organisation
    dealer_b: Organisation
    channel: Channel
    other_channel: Channel

    @staticmethod
    def user(username: str) -> User:
        return User.objects.get(username=username)


def network() -> dict[str, Any]:
    return copy.deepcopy(NETWORK)


def build_world(net: dict[str, Any] | None = None) -> World:
    """The standard world; `net` is network() with additions (e.g. a vendor's channel)."""
    load_network(net if net is not None else network())
    orgs = {o.key: o for o in Organisation.objects.all()}
    return World(
        brand=orgs["brand"],
        other_brand=orgs["other-brand"],
        dealer_a=orgs["dealer-a"],
        dealer_b=orgs["dealer-b"],
        channel=Channel.objects.get(key="web"),
        other_channel=Channel.objects.get(key="other-web"),
    )


def payload(**overrides: Any) -> dict[str, Any]:
    """A valid webhook payload; keyword arguments replace top-level keys."""
    body: dict[str, Any] = {
        "type": "quote",
        "text": "Nine windows for a renovation, please call me in the evening.",
        "contact": {
            "title": "Sig.",
            "first_name": "Luca",
            "last_name": "Moretti",
            "email": "Luca.Moretti@Example.com",
            "phone": "0471 123456",
            "language": "it",
            "address": {
                "street": "Via Roma 12",
                "postal_code": "39100",
                "city": "Bolzano",
                "province": "bz",
                "country": "IT",
            },
        },
        "referrer_url": "https://www.brand.example/windows",
        "utm": {"source": "google", "medium": "cpc", "campaign": "autumn"},
    }
    body.update(overrides)
    return body


def deliver(
    client: Client,
    body: dict[str, Any] | bytes,
    *,
    channel: str = "web",
    token: str = BRAND_TOKEN,
    idempotency_key: str | None = None,
    sign: bool = False,
) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers: dict[str, str] = {}
    if sign:
        digest = hmac.new(token.encode(), raw, hashlib.sha256).hexdigest()
        headers["X-Leadhub-Signature"] = f"sha256={digest}"
    else:
        headers["Authorization"] = f"Bearer {token}"
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    return client.post(
        f"/api/v1/intake/{channel}/enquiries", raw, content_type="application/json", headers=headers
    )


def login(client: Client, username: str) -> Client:
    assert client.login(username=username, password=PASSWORD)
    return client


def api_token(client: Client, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['token']}"}
