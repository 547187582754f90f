"""newest.py: every way to the newest matches (a probe alone, walking on, bitmaps of
stretches, of the rest, a stretch too dense) gives the same ids and the same "more",
those of the matching enquiries by creation, newest first. On PostgreSQL each way is
checked to be the one taken; SQLite walks, and must agree all the same."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from leadhub.enquiries.models import Enquiry
from leadhub.orgs.models import User
from leadhub.search import newest
from leadhub.search.index import refresh
from leadhub.search.queries import search
from leadhub.search.text import read_query
from leadhub.testing.world import World, deliver, payload

pytestmark = pytest.mark.django_db

SURNAMES = ["Rossi", "Verdi", "Verdi"]  # by turns: a third are Rossi, two thirds Verdi
TYPES = ["quote", "quote", "sample", "quote"]  # by turns: a quarter ask for samples
CANDIDATES = 3

WAYS: dict[str, tuple[dict[str, float], dict[str, set[str]]]] = {
    # knobs of newest.py -> what must have run besides the probe, for "verdi" (two
    # thirds) and "rossi" (a third)
    "the probe looks through them all": ({"PROBE": 1000}, {"verdi": set(), "rossi": set()}),
    "a probe, then the walk goes on": (
        {"PROBE": 4, "WALK_SHARE": 0.0},
        {"verdi": {"walk"}, "rossi": {"walk"}},
    ),
    "a probe, then bitmaps": (
        {"PROBE": 4, "WALK_SHARE": 2.0},
        {"verdi": {"stretch"}, "rossi": {"the rest"}},
    ),
    "a probe, bitmaps too dense, a walk": (
        {"PROBE": 4, "WALK_SHARE": 2.0, "FEW": 0},
        {"verdi": {"stretch", "walk"}, "rossi": {"stretch", "walk"}},
    ),
}


@pytest.fixture
def made(world: World) -> list[Enquiry]:
    """24 enquiries, one an hour, the newest last."""
    out = []
    start = timezone.now() - dt.timedelta(days=2)
    for i in range(24):
        body = payload(type=TYPES[i % 4])
        body["contact"].update(last_name=SURNAMES[i % 3], email=f"p{i}@example.com")
        answer = deliver(Client(), body)
        assert answer.status_code in (200, 201), answer.content
        e = Enquiry.objects.get(number=answer.json()["number"])
        Enquiry.objects.filter(pk=e.pk).update(created_at=start + dt.timedelta(hours=i))
        out.append(e)
    refresh(e.pk for e in out)
    return out


def ways_taken(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    taken: set[str] = set()
    gather, walk = newest._gather, newest._walk

    def gathering(*args: Any) -> Any:
        taken.add("the rest" if args[-1] is None else "stretch")
        return gather(*args)

    def walking(*args: Any) -> Any:
        taken.add("walk")
        return walk(*args)

    monkeypatch.setattr(newest, "_gather", gathering)
    monkeypatch.setattr(newest, "_walk", walking)
    return taken


@pytest.mark.parametrize("type_", ["", "sample"])
@pytest.mark.parametrize("q", ["verdi", "rossi", "windows", "rossi verdi"])
@pytest.mark.parametrize("way", WAYS, ids=WAYS)
def test_every_way_finds_the_newest_matches(
    made: list[Enquiry], q: str, type_: str, way: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    knobs, expected_ways = WAYS[way]
    monkeypatch.setattr(newest, "CANDIDATES", CANDIDATES)
    for name, value in knobs.items():
        monkeypatch.setattr(newest, name, value)
    taken = ways_taken(monkeypatch)
    if q == "windows":  # in every enquiry's text
        matching = list(reversed(made))
    else:  # no one is called both Rossi and Verdi
        matching = [e for e in reversed(made) if [e.contact.last_name.lower()] == q.split()]
    if type_:  # on the document: checked in the probe, the walk and the bitmaps alike
        matching = [e for e in matching if e.type == type_]  # 2 Rossi, 4 Verdi, 6 in all

    query = read_query(q, type=type_)
    results = search(User.objects.get(username="dispatcher"), query, per_page=100)

    assert [h.enquiry.pk for h in results.hits] == [e.pk for e in matching[:CANDIDATES]]
    assert results.more == (len(matching) > CANDIDATES)
    if connection.vendor == "postgresql" and q in expected_ways and not type_:
        assert taken == expected_ways[q]
