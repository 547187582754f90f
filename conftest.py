"""Shared fixtures. PostgreSQL-only tests run when the suite runs on PostgreSQL
(LEADHUB_DATABASE_URL=postgres://...); on SQLite they are skipped, saying so."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from leadhub.testing.world import World, build_world

CHROMIUM = os.environ.get("LEADHUB_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = connection.vendor == "postgresql"
    has_browser = shutil.which(CHROMIUM) is not None
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set LEADHUB_DATABASE_URL"))
        if "browser" in item.keywords and not has_browser:
            item.add_marker(pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM}"))


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    # Uploaded documents go to the test's own folder, never to ./var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Hashing on purpose-slow PBKDF2 would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Iterator[None]:
    # Process caches keyed by primary key, version or channel key: SQLite gives a rolled-back
    # test's keys to the next test, which would meet the previous brand's rules or channel.
    from leadhub.feedback import outbox
    from leadhub.intake import lookup
    from leadhub.routing import compiled, pool_read

    def forget() -> None:
        compiled.forget()
        lookup.forget()
        pool_read.forget()
        outbox.forget_endpoints()

    forget()  # before too: a test may start after one that filled them without this fixture
    yield
    forget()
