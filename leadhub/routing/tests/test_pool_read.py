"""The pool members kept per process (routing.pool_read)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from leadhub.routing import pool_read
from leadhub.testing.world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Iterator[World]:
    pool_read.forget()
    yield build_world()
    pool_read.forget()


def test_a_miss_reads_the_other_pools_too_and_answers_only_what_was_asked(
    world: World, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):  # partners, their brands
        found = pool_read.members(["dealer-a"], together=["dealer-a", "dealer-b", "gone"])
    assert list(found) == ["dealer-a"]
    assert found["dealer-a"].brands == frozenset({world.brand.pk})
    with django_assert_num_queries(0):
        again = pool_read.members(["dealer-b", "gone"], together=["dealer-a", "dealer-b"])
    assert list(again) == ["dealer-b"]


def test_members_are_read_afresh_after_their_time(
    world: World, django_assert_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool_read.members(["dealer-a"])
    monkeypatch.setattr(pool_read, "MEMBERS_TTL", 0.0)
    with django_assert_num_queries(2):
        pool_read.members(["dealer-a"])
