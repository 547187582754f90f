"""Precision and recall of the scoring on the labelled pairs (labelled.py); the figures
are in docs/duplicates.md. The one known miss by design: father and son of one name at
one address (no key tells them apart, the user keeps them apart once)."""

from __future__ import annotations

from collections import Counter

from leadhub.duplicates.scoring import score

from .labelled import FALSE, TRUE, pairs

PRECISION = 0.88  # measured 0.900 (all misses: same_name_same_home)
RECALL = 0.99  # measured 1.000


def confusion() -> tuple[Counter[str], Counter[str]]:
    outcome: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for p in pairs():
        said = score(p.a, p.b).shown
        outcome[("t" if said == p.duplicate else "f") + ("p" if said else "n")] += 1
        if said != p.duplicate:
            wrong[p.case] += 1
    return outcome, wrong


def test_the_set_is_big_and_balanced_enough() -> None:
    every = pairs()
    assert len(every) >= 300
    assert sum(p.duplicate for p in every) >= 150
    assert sum(not p.duplicate for p in every) >= 150
    assert {p.case for p in every} == {f.__name__ for f in (*TRUE, *FALSE)}
    assert pairs() == every  # deterministic


def test_precision_and_recall() -> None:
    outcome, wrong = confusion()
    precision = outcome["tp"] / (outcome["tp"] + outcome["fp"])
    recall = outcome["tp"] / (outcome["tp"] + outcome["fn"])
    print(f"precision {precision:.3f} recall {recall:.3f} {dict(outcome)} misses {dict(wrong)}")
    assert precision >= PRECISION
    assert recall >= RECALL
    assert set(wrong) <= {"same_name_same_home"}


def test_a_switchboard_alone_is_never_a_duplicate() -> None:
    for p in pairs():
        if p.case in ("switchboard", "shared_phone_two_people"):
            assert not score(p.a, p.b).shown, p
