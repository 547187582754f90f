"""percentile_cont in Python answers what PostgreSQL's does (checked there in test_reports)."""

from __future__ import annotations

import pytest

from leadhub.reports.stats import percentile_cont


def test_percentile_cont() -> None:
    assert percentile_cont([], 0.5) is None
    assert percentile_cont([7], 0.9) == 7
    assert percentile_cont([1, 2, 3, 4], 0.5) == 2.5
    assert percentile_cont([4, 1, 3, 2], 0.9) == pytest.approx(3.7)
    assert percentile_cont([10, 20], 0.0) == 10 and percentile_cont([10, 20], 1.0) == 20
