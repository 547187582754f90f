"""SVG charts (pure): well-formed, accessible, proportional, escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from leadhub.reports import svg

NS = "{http://www.w3.org/2000/svg}"


def test_bars_are_proportional_and_titled() -> None:
    out = svg.bars("Per type", ["Quote", "Sample"], [svg.Series("2026-11", [10, 5])])
    root = ET.fromstring(out)
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Per type"  # type: ignore[union-attr]
    assert "Quote 10, Sample 5" in root.find(f"{NS}desc").text  # type: ignore[union-attr, operator]
    rects = root.findall(f"{NS}rect")
    heights = [float(r.get("height", "0")) for r in rects]
    assert heights[0] == pytest.approx(2 * heights[1])


def test_lines_one_polyline_per_series_and_legend() -> None:
    out = svg.lines(
        "Over time",
        ["1", "2", "3"],
        [svg.Series("Quote", [1, 2, 3]), svg.Series("Sample", [0, 0, 1])],
    )
    root = ET.fromstring(out)
    assert len(root.findall(f"{NS}polyline")) == 2
    assert [len(p.get("points", "").split()) for p in root.findall(f"{NS}polyline")] == [3, 3]


def test_text_is_escaped() -> None:
    out = svg.bars("<b>&", ["<script>"], [svg.Series("x&y", [1])])
    ET.fromstring(out)  # still well-formed
    assert "<script>" not in out and "&lt;b&gt;&amp;" in out


def test_empty_and_zero_series_render() -> None:
    ET.fromstring(svg.bars("Nothing", [], []))
    ET.fromstring(svg.lines("Zeros", ["a"], [svg.Series("s", [0])]))


def test_bad_series_refused() -> None:
    with pytest.raises(ValueError, match="2 values for 1 labels"):
        svg.bars("x", ["a"], [svg.Series("s", [1, 2])])
    with pytest.raises(ValueError, match="negative"):
        svg.lines("x", ["a"], [svg.Series("s", [-1])])


def test_axis_has_at_most_four_round_steps() -> None:
    assert svg._axis([3]) == (3, 1)  # 0, 1, 2, 3
    assert svg._axis([7]) == (8, 2)
    assert svg._axis([10]) == (10, 5)
    assert svg._axis([41]) == (60, 20)
    assert svg._axis([1000, 20]) == (1000, 500)
    top, step = svg._axis([0.3, 0.1])
    assert top == pytest.approx(0.3) and step == pytest.approx(0.1)
    assert svg._axis([7.8]) == (8, 2)
    assert svg._axis([]) == (1, 1) and svg._axis([0]) == (1, 1)
