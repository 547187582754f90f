"""Server-rendered SVG charts (pure): bars and lines, with a title and a description for
screen readers, sized by a viewBox so they scale down to a phone. No JavaScript.

Every chart sits beside its table, which carries the exact numbers; the chart shows shape.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 56
# Colour-blind safe (Okabe-Ito); a series beyond these repeats with a dash pattern.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _nice(value: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten at or above `value` (> 0)."""
    step = 1.0
    while step * 10 <= value:
        step *= 10
    while step > value:
        step /= 10
    for factor in (1, 2, 5):
        if step * factor >= value:
            return step * factor
    return step * 10


def _axis(values: Sequence[float]) -> tuple[float, float]:
    """(top, step) of the value axis: at most four round steps, whole ones for counts."""
    top = max(values, default=0)
    if top <= 0:
        return 1.0, 1.0
    step = _nice(top / 4)
    if all(float(v).is_integer() for v in values):
        step = max(1.0, step)
    return math.ceil(top / step - 1e-9) * step, step


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _frame(title: str, description: str, body: list[str], legend: list[str]) -> str:
    t, d = escape(title), escape(description)
    ident = "c" + hashlib.sha1(title.encode()).hexdigest()[:8]  # unique per page's titles
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" role="img" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{t}</title><desc id="{ident}-d">{d}</desc>'
        + "".join(body)
        + "".join(legend)
        + "</svg>"
    )


def _axes(top: float, step: float, labels: Sequence[str], slot: float) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    out = []
    for i in range(round(top / step) + 1):
        v = step * i
        y = HEIGHT - BOTTOM - plot_h * v / top
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="13">'
            f"{_number(v)}</text>"
        )
    every = max(1, len(labels) // 12)  # at most a dozen axis labels
    for i, label in enumerate(labels):
        if i % every:
            continue
        x = LEFT + slot * (i + 0.5)
        out.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" '
            f'font-size="13">{escape(label[:14])}</text>'
        )
    return out


def _legend(series: Sequence[Series]) -> list[str]:
    out = []
    x = LEFT
    for i, s in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        y = HEIGHT - 18
        out.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{y}" font-size="13">{escape(s.name[:20])}</text>'
        )
        x += 24 + 7 * min(len(s.name), 20)
    return out


def bars(title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """Grouped bars: one group per label, one bar per series."""
    _check(labels, series)
    top, step = _axis([v for s in series for v in s.values])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(labels))
    bar_w = slot * 0.8 / max(1, len(series))
    body = _axes(top, step, labels, slot)
    for j, s in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        for i, v in enumerate(s.values):
            h = plot_h * v / top
            x = LEFT + slot * i + slot * 0.1 + bar_w * j
            body.append(
                f'<rect x="{x:.1f}" y="{HEIGHT - BOTTOM - h:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{colour}"><title>{escape(labels[i])}, '
                f"{escape(s.name)}: {_number(v)}</title></rect>"
            )
    return _frame(
        title, _describe(labels, series), body, _legend(series) if len(series) > 1 else []
    )


def lines(title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """One line per series over the labels (a time axis)."""
    _check(labels, series)
    top, step = _axis([v for s in series for v in s.values])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(labels))
    body = _axes(top, step, labels, slot)
    for j, s in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        dash = ' stroke-dasharray="6 3"' if j >= len(COLOURS) else ""
        points = " ".join(
            f"{LEFT + slot * (i + 0.5):.1f},{HEIGHT - BOTTOM - plot_h * v / top:.1f}"
            for i, v in enumerate(s.values)
        )
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}>'
            f"<title>{escape(s.name)}</title></polyline>"
        )
    return _frame(title, _describe(labels, series), body, _legend(series))


def _check(labels: Sequence[str], series: Sequence[Series]) -> None:
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(
                f"series {s.name!r} has {len(s.values)} values for {len(labels)} labels"
            )
        if any(v < 0 for v in s.values):
            raise ValueError(f"series {s.name!r} has a negative value")


def _describe(labels: Sequence[str], series: Sequence[Series]) -> str:
    """The numbers in words, for screen readers (the table beside it has them too)."""
    parts = []
    for s in series:
        values = ", ".join(
            f"{label} {_number(v)}" for label, v in zip(labels, s.values, strict=True)
        )
        parts.append(f"{s.name}: {values}" if values else f"{s.name}: no data")
    return "; ".join(parts) or "no data"
