"""Export files go to the test's own folder, never to ./var/exports."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.EXPORT_ROOT = tmp_path / "exports"
