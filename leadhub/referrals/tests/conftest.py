"""Referral fixtures: a brand administrator, a form with its link, and a broker's answers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leadhub.orgs.models import User
from leadhub.referrals.actions import create_form, live_link
from leadhub.referrals.models import ReferralForm
from leadhub.testing.world import PASSWORD, World


@pytest.fixture
def admin(world: World) -> User:
    return User.objects.create_user(
        username="brand-admin",
        password=PASSWORD,
        email="admin@brand.example",
        organisation=world.brand,
        roles=["admin"],
        first_name="Ewa",
        last_name="Nowak",
    )


@pytest.fixture
def form(world: World, admin: User) -> ReferralForm:
    # A property developer in Poland: numbers without a prefix are Polish ones.
    world.brand.country, world.brand.subdivision = "PL", ""
    world.brand.timezone = "Europe/Warsaw"
    world.brand.save(update_fields=["country", "subdivision", "timezone"])
    return create_form(
        world.brand, name="Agency Dom Plus", project="Green Hills", by=admin, now=timezone.now()
    )


@pytest.fixture
def link_path(form: ReferralForm) -> str:
    link = live_link(form)
    assert link is not None
    return f"/r/{link.secret}/"


def answers(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "form_key": "k" * 32,
        "first_name": "Jan",
        "last_name": "Kowalski",
        "phone": "601 234 567",
        "email": "Jan.Kowalski@Example.PL",
        "national_id": "44051401359",
        "id_card": "ABS 123456",
        "note": "Looking for a 3-room flat.",
        "broker_name": "Anna Broker",
        "broker_email": "anna@agency.example",
        "broker_phone": "+48 22 123 45 67",
        "consent": "on",
    }
    data.update(overrides)
    return data


def submit(client: Client, path: str, **overrides: Any) -> Any:
    return client.post(path, answers(**overrides))


def form_key_of(page: str) -> str:
    found = re.search(r'name="form_key" value="([0-9a-f]+)"', page)
    assert found, "no form key in the page"
    return found.group(1)
