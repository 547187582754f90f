"""The sales pipeline (C1, C2, C10) as a table: which action leads from which statuses to
which, what it needs, and when the next step is then due. Pure: no database.

`transition()` is the one place that decides whether an action is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .models import Status

S = Status
OPEN = frozenset(s.value for s in Status if s not in (S.ORDERED, S.CLOSED))
WORKABLE = OPEN - {S.OFFERED}  # an offered enquiry is the brand's until the partner accepts
CLOSED = frozenset({S.ORDERED.value, S.CLOSED.value})
RELATIONSHIP = "relationship"


@dataclass(frozen=True)
class Due:
    """When the next step is owed after an action."""

    kind: (
        str  # "hours" (working hours), "days" (working days), "at" (a date the user gives), "none"
    )
    amount: int = 0


DEFAULT = Due("hours", 24)


@dataclass(frozen=True)
class Action:
    name: str
    label: StrOrPromise
    sources: frozenset[str]
    target: str | None  # None: back to the last active status (reopen)
    due: Due = DEFAULT
    needs: tuple[str, ...] = ()  # parameters the action requires
    only_types: frozenset[str] | None = None  # None: every type
    not_types: frozenset[str] = frozenset()


def _a(
    name: str, label: StrOrPromise, sources: Iterable[str], target: str | None, **kw: object
) -> Action:
    return Action(name, label, frozenset(sources), target, **kw)  # type: ignore[arg-type]


REL = frozenset({RELATIONSHIP})
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        _a("start", _("Start processing"), [S.NEW], S.PROCESSING),
        _a(
            "appointment",
            _("Set an appointment"),
            [S.NEW, S.PROCESSING, S.APPOINTMENT, S.QUOTE_AGREED, S.ON_HOLD],
            S.APPOINTMENT,
            due=Due("at"),
            needs=("at", "place"),
            not_types=REL,
        ),
        _a(
            "agree_quote",
            _("Agree quote delivery"),
            [S.PROCESSING, S.APPOINTMENT, S.ON_HOLD],
            S.QUOTE_AGREED,
            due=Due("at"),
            needs=("at",),
            not_types=REL,
        ),
        _a(
            "deliver_quote",
            _("Quote delivered"),
            [S.PROCESSING, S.APPOINTMENT, S.QUOTE_AGREED, S.QUOTE_ON_HOLD],
            S.QUOTE_DELIVERED,
            due=Due("days", 5),  # customers answer quotes after some days, not the next one
            not_types=REL,
        ),
        _a(
            "negotiate",
            _("Set a negotiation date"),
            [S.QUOTE_DELIVERED, S.QUOTE_ON_HOLD, S.NEGOTIATION],
            S.NEGOTIATION,
            due=Due("at"),
            needs=("at",),
            not_types=REL,
        ),
        _a(
            "order",
            _("Order placed"),
            [
                S.PROCESSING,
                S.APPOINTMENT,
                S.QUOTE_AGREED,
                S.QUOTE_DELIVERED,
                S.NEGOTIATION,
                S.QUOTE_ON_HOLD,
            ],
            S.ORDERED,
            due=Due("none"),
            not_types=REL,
        ),
        _a(
            "hold",
            _("Put on hold"),
            [S.NEW, S.PROCESSING, S.APPOINTMENT, S.QUOTE_AGREED],
            S.ON_HOLD,
            due=Due("days", 5),
        ),
        _a(
            "hold_quote",
            _("Put the quote on hold"),
            [S.QUOTE_DELIVERED, S.NEGOTIATION],
            S.QUOTE_ON_HOLD,
            due=Due("days", 5),
            not_types=REL,
        ),
        _a(
            "close",
            _("Close"),
            WORKABLE,
            S.CLOSED,
            due=Due("none"),
            needs=("reason_group", "reason"),
        ),
        _a("reopen", _("Reopen"), CLOSED, None),
        # Relationship management (C10): documenting contact with a prescriber.
        _a(
            "visit_prescriber",
            _("Visit the prescriber"),
            [S.NEW, S.PROCESSING],
            S.PROCESSING,
            only_types=REL,
        ),
        _a(
            "invite_prescriber",
            _("Invite the prescriber"),
            [S.NEW, S.PROCESSING],
            S.PROCESSING,
            only_types=REL,
        ),
    ]
}


class TransitionError(ValueError):
    """The action is not allowed now; the message says why, for the person who tried."""


def applies_to(action: Action, enquiry_type: str) -> bool:
    if action.only_types is not None and enquiry_type not in action.only_types:
        return False
    return enquiry_type not in action.not_types


def allowed_actions(status: str, enquiry_type: str) -> list[Action]:
    return [a for a in ACTIONS.values() if status in a.sources and applies_to(a, enquiry_type)]


def transition(status: str, action_name: str, enquiry_type: str, last_active: str = "") -> str:
    """The status after `action_name`, or TransitionError saying why it is not allowed."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise TransitionError(f"There is no action {action_name!r}.")
    label = Status(status).label if status in Status.values else status
    if not applies_to(action, enquiry_type):
        raise TransitionError(f"“{action.label}” does not apply to {enquiry_type} enquiries.")
    if status not in action.sources:
        possible = ", ".join(str(a.label) for a in allowed_actions(status, enquiry_type)) or "none"
        raise TransitionError(
            f"“{action.label}” is not possible while the enquiry is “{label}”. Possible now: {possible}."
        )
    if action.target is None:
        if last_active not in WORKABLE:
            raise TransitionError("There is no earlier active status to reopen to.")
        return last_active
    return action.target
