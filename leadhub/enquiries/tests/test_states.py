"""The pipeline table: every action from every status, for every type."""

import pytest

from leadhub.enquiries.models import EnquiryType, Status
from leadhub.enquiries.states import (
    ACTIONS,
    CLOSED,
    OPEN,
    WORKABLE,
    TransitionError,
    allowed_actions,
    transition,
)


def test_happy_path_of_a_quote() -> None:
    s = Status.NEW.value
    for action, expected in [
        ("start", "processing"),
        ("appointment", "appointment"),
        ("agree_quote", "quote_agreed"),
        ("deliver_quote", "quote_delivered"),
        ("negotiate", "negotiation"),
        ("order", "ordered"),
    ]:
        s = transition(s, action, "quote")
        assert s == expected


def test_refusal_names_what_is_possible() -> None:
    with pytest.raises(TransitionError) as info:
        transition("new", "order", "quote")
    assert str(info.value) == (
        "“Order placed” is not possible while the enquiry is “New”. Possible now: "
        "Start processing, Set an appointment, Put on hold, Close."
    )


def test_reopen_returns_to_the_last_active_status() -> None:
    assert (
        transition("closed", "reopen", "quote", last_active="quote_delivered") == "quote_delivered"
    )
    with pytest.raises(TransitionError, match="no earlier active status"):
        transition("closed", "reopen", "quote", last_active="")
    with pytest.raises(TransitionError):
        transition("processing", "reopen", "quote", last_active="new")


def test_relationship_enquiries_have_their_own_actions() -> None:
    assert transition("new", "visit_prescriber", "relationship") == "processing"
    with pytest.raises(TransitionError, match="does not apply to quote"):
        transition("new", "visit_prescriber", "quote")
    with pytest.raises(TransitionError, match="does not apply to relationship"):
        transition("processing", "deliver_quote", "relationship")


def test_offered_enquiries_cannot_be_worked() -> None:
    assert allowed_actions("offered", "quote") == []


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("type_", EnquiryType.values)
def test_table_is_consistent(status: str, type_: str) -> None:
    for action in ACTIONS.values():
        try:
            target = transition(status, action.name, type_, last_active="processing")
        except TransitionError:
            assert action not in allowed_actions(status, type_)
            continue
        assert action in allowed_actions(status, type_)
        assert target in Status.values
        assert target != Status.OFFERED and target != Status.NEW
    # Closed statuses only reopen; open, workable ones can always be closed.
    if status in CLOSED:
        assert [a.name for a in allowed_actions(status, type_)] == ["reopen"]
    if status in WORKABLE:
        assert "close" in [a.name for a in allowed_actions(status, type_)]
    assert (status in OPEN) != (status in CLOSED)


def test_unknown_action() -> None:
    with pytest.raises(TransitionError, match="There is no action 'fly'"):
        transition("new", "fly", "quote")


def test_the_open_list_indexes_exclude_exactly_the_closed_statuses() -> None:
    """models.OPEN (the partial indexes' condition) must say what states.CLOSED says, or the
    open list stops using them (docs/benchmarks.md, issue 4)."""
    from leadhub.enquiries import models

    assert models.OPEN.negated and models.OPEN.children == [("status__in", sorted(CLOSED))]
