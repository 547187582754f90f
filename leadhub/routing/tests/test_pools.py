from datetime import UTC, date, datetime

from leadhub.routing.absence import AbsenceSpec, stand_in
from leadhub.routing.pools import Candidate, choose


def test_least_loaded_with_capacity_and_exclusions() -> None:
    choice = choose(
        [
            Candidate("a", "A", open_enquiries=1, excluded="rejected this enquiry"),
            Candidate("b", "B", open_enquiries=5, capacity=5),
            Candidate("c", "C", open_enquiries=3),
            Candidate("d", "D", open_enquiries=2),
        ],
        "least_loaded",
    )
    assert choice.chosen is not None and choice.chosen.key == "d"
    assert choice.considered == (
        "A: passed over, rejected this enquiry",
        "B: passed over, at capacity (5 of 5 open)",
        "C: not chosen (least loaded: 3 open)",
        "D: chosen (least loaded: 2 open)",
    )


def test_weighted_by_grade() -> None:
    pool = [
        Candidate("a", "A", open_enquiries=2, grade=1),
        Candidate("b", "B", open_enquiries=5, grade=3),
    ]
    # A: 3/1 = 3, B: 6/3 = 2 -> B, although it has more open enquiries
    assert choose(pool, "weighted").chosen == pool[1]


def test_weighted_shares_follow_grades_over_time() -> None:
    loads = {"a": 0, "b": 0}
    for _ in range(40):
        pool = [Candidate("a", "A", loads["a"], grade=1), Candidate("b", "B", loads["b"], grade=3)]
        chosen = choose(pool, "weighted").chosen
        assert chosen is not None
        loads[chosen.key] += 1
    assert loads == {"a": 10, "b": 30}


def test_round_robin_takes_the_least_recently_offered() -> None:
    t = datetime(2026, 11, 23, 9, tzinfo=UTC)
    pool = [
        Candidate("a", "A", last_offered_at=t),
        Candidate("b", "B", last_offered_at=t.replace(hour=8)),
        Candidate("c", "C"),
    ]
    assert choose(pool, "round_robin").chosen == pool[2]  # never offered goes first
    assert choose(pool[:2], None).chosen == pool[1]


def test_nobody_left() -> None:
    choice = choose([Candidate("a", "A", excluded="let this enquiry expire")], "least_loaded")
    assert choice.chosen is None and choice.considered == (
        "A: passed over, let this enquiry expire",
    )


def test_absence_ranges_weekdays_and_substitute_chains() -> None:
    monday, friday = date(2026, 11, 23), date(2026, 11, 27)
    absences = {
        1: [AbsenceSpec(starts_on=monday, ends_on=monday, substitute=2)],
        2: [AbsenceSpec(weekdays=("fri",), substitute=3)],
        3: [AbsenceSpec(starts_on=friday, substitute=2)],  # open-ended from Friday
    }
    assert stand_in(1, monday, absences) == (2, [1])
    assert stand_in(1, date(2026, 11, 24), absences) == (1, [])
    assert stand_in(2, friday, absences) == (None, [2, 3])  # 2 and 3 point at each other
    assert stand_in(2, monday, absences) == (2, [])
    assert stand_in(3, date(2027, 1, 4), absences) == (2, [3])  # a Monday
    assert not AbsenceSpec().covers(monday)  # an empty absence covers nothing
