"""Choosing one partner of a pool (B2): pure, given what the database knows of each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

STRATEGIES = ("round_robin", "least_loaded", "weighted")


@dataclass(frozen=True)
class Candidate:
    key: str
    name: str
    open_enquiries: int = 0  # owned and not closed, plus pending offers
    capacity: int | None = None
    grade: int | None = None
    last_offered_at: datetime | None = None  # by this rule, for round robin
    excluded: str = ""  # why it may not get this enquiry at all, e.g. "rejected it"


@dataclass(frozen=True)
class Choice:
    chosen: Candidate | None
    considered: tuple[str, ...]  # one plain sentence per candidate


def choose(candidates: list[Candidate], strategy: str | None) -> Choice:
    """The partner to offer to, and why each candidate was or was not chosen.

    Ties go to the candidate listed first in the rule, so decisions are reproducible.
    """
    lines: list[str] = []
    eligible: list[Candidate] = []
    for c in candidates:
        if c.excluded:
            lines.append(f"{c.name}: passed over, {c.excluded}")
        elif c.capacity is not None and c.open_enquiries >= c.capacity:
            lines.append(
                f"{c.name}: passed over, at capacity ({c.open_enquiries} of {c.capacity} open)"
            )
        else:
            eligible.append(c)
    if not eligible:
        return Choice(None, tuple(lines))
    strategy = strategy or "round_robin"
    position = {c.key: i for i, c in enumerate(candidates)}
    if strategy == "least_loaded":
        chosen = min(eligible, key=lambda c: (c.open_enquiries, position[c.key]))
        why = {c.key: f"{c.open_enquiries} open" for c in eligible}
    elif strategy == "weighted":
        # Load per unit of grade: a grade-3 partner gets three times a grade-1 partner's share.
        def share(c: Candidate) -> Fraction:
            return Fraction(c.open_enquiries + 1, max(c.grade or 1, 1))

        chosen = min(eligible, key=lambda c: (share(c), position[c.key]))
        why = {c.key: f"{c.open_enquiries} open at grade {c.grade or 1}" for c in eligible}
    else:
        # Round robin: the one this rule offered to least recently (never counts as oldest).
        chosen = min(
            eligible,
            key=lambda c: (
                c.last_offered_at is not None,
                c.last_offered_at or datetime.min,
                position[c.key],
            ),
        )
        why = {
            c.key: f"last offered {c.last_offered_at:%Y-%m-%d %H:%M}"
            if c.last_offered_at
            else "not offered yet"
            for c in eligible
        }
    for c in eligible:
        verdict = "chosen" if c is chosen else "not chosen"
        lines.append(f"{c.name}: {verdict} ({strategy.replace('_', ' ')}: {why[c.key]})")
    return Choice(chosen, tuple(lines))
