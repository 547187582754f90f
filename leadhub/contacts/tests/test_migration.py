"""Migration 0004's data step: existing contacts get their primary rows and company key."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from leadhub.contacts.models import Contact
from leadhub.testing.world import World

step = importlib.import_module("leadhub.contacts.migrations.0004_contact_rows")


@pytest.mark.django_db
def test_fill_rows_copies_email_phone_and_company_key(world: World) -> None:
    # Rows written the old way: columns only.
    business = Contact.objects.create(
        owner=world.brand, kind="business", company="ACME S.r.l.", email="a@acme.example",
        phone="+390471123456",
    )  # fmt: skip
    private = Contact.objects.create(owner=world.brand, last_name="Rossi", phone="+390461111111")
    step.fill_rows(apps, SimpleNamespace(connection=connection))
    business.refresh_from_db()
    assert business.company_key == "acme"
    assert list(business.emails.values_list("email", "label", "position")) == [
        ("a@acme.example", "work", 0)
    ]
    assert list(private.phones.values_list("phone", "label")) == [("+390461111111", "private")]
    assert not private.emails.exists()
