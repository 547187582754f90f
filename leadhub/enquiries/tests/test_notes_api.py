"""Notes (C3): added by who works the enquiry, edited and removed by their author only."""

from __future__ import annotations

import pytest
from django.test import Client

from leadhub.enquiries.models import HistoryEntry
from leadhub.testing.world import World, api_token, deliver, payload

pytestmark = pytest.mark.django_db


def notes_url(number: str, note: int | None = None) -> str:
    return f"/api/v1/enquiries/{number.replace('/', '-')}/notes" + (f"/{note}" if note else "")


def test_notes_belong_to_their_author(world: World, client: Client) -> None:
    number = deliver(client, payload()).json()["number"]
    dispatcher = api_token(client, "dispatcher")
    body = client.post(
        notes_url(number),
        {"text": "Called, no answer"},
        content_type="application/json",
        headers=dispatcher,
    )
    assert body.status_code == 201
    note = body.json()["history"][-1]
    assert (note["category"], note["message"], note["actor"]) == (
        "note",
        "Called, no answer",
        "dispatcher",
    )
    edited = client.patch(
        notes_url(number, note["id"]),
        {"text": "Called twice"},
        content_type="application/json",
        headers=dispatcher,
    )
    assert edited.json()["history"][-1]["message"] == "Called twice"
    # A colleague may read but not change it; system entries are never notes.
    from leadhub.orgs.models import User

    User.objects.filter(username="sales").update(roles=["sales", "manager"])
    colleague = api_token(client, "sales")
    refused = client.patch(
        notes_url(number, note["id"]),
        {"text": "mine now"},
        content_type="application/json",
        headers=colleague,
    )
    assert (
        refused.status_code == 422
        and refused.json()["detail"] == "Only its author may change a note."
    )
    received = HistoryEntry.objects.get(kind="received")
    assert client.delete(notes_url(number, received.pk), headers=dispatcher).status_code == 422
    assert (
        client.post(
            notes_url(number), {"text": "  "}, content_type="application/json", headers=dispatcher
        ).status_code
        == 422
    )
    removed = client.delete(notes_url(number, note["id"]), headers=dispatcher).json()
    assert "Called twice" not in str(removed["history"])
    assert (
        HistoryEntry.objects.get(pk=note["id"]).removed_at is not None
    )  # kept for the audit trail


def test_outsiders_cannot_write_notes(world: World, client: Client) -> None:
    number = deliver(client, payload()).json()["number"]
    for username in ("other-user", "dealer-a-user"):
        auth = api_token(client, username)
        response = client.post(
            notes_url(number), {"text": "x"}, content_type="application/json", headers=auth
        )
        assert response.status_code == 404
