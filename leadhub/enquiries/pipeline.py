"""Working an enquiry through the pipeline (C1, C2, C8, C10): one transaction per action,
with its history entry and the next due date in the owner's working time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from leadhub.feedback.outbox import note_status_changes
from leadhub.lib.workingtime import add_working_days, add_working_hours
from leadhub.orgs.calendars import calendar_of
from leadhub.orgs.models import OrgUnit, User
from leadhub.routing.models import Offer, OfferStatus

from .history import record
from .models import Enquiry, HistoryCategory, Place
from .states import ACTIONS, CLOSED, WORKABLE, Action, TransitionError, transition

AMOUNT_FIELDS = (
    "configuration_number",
    "quote_number",
    "quote_amount",
    "order_number",
    "order_amount",
)


class ActionRefused(ValueError):
    """The action's input is not acceptable; the message says why (HTTP 422 / form error)."""


@dataclass(frozen=True)
class ActionInput:
    at: datetime | None = None  # appointment, agreed quote delivery, negotiation date
    in_days: int | None = None  # instead of `at`: "in one week" is 7
    place: str = ""  # appointments: showroom, site, phone, email
    showroom: OrgUnit | None = None
    reason_group: str = ""  # close: "prospect" or "ours"
    reason: str = ""
    values: dict[str, Any] = field(default_factory=dict)  # C8 numbers and amounts


@transaction.atomic
def perform(
    enquiry: Enquiry, action_name: str, *, by: User, now: datetime, data: ActionInput
) -> Enquiry:
    """Apply one pipeline action; TransitionError (409) or ActionRefused (422) otherwise."""
    enquiry = (
        Enquiry.objects.select_for_update(of=("self",)).select_related("owner").get(pk=enquiry.pk)
    )
    if enquiry.owner_id != by.organisation_id:
        raise TransitionError("Only the organisation that owns the enquiry works it.")
    target = transition(enquiry.status, action_name, enquiry.type, enquiry.last_active_status)
    action = ACTIONS[action_name]
    if action_name == "reopen" and enquiry.closed_by_id not in (None, by.pk):
        raise TransitionError("Only the person who closed it can reopen it.")
    at = _when(action, data, now)
    updates: dict[str, Any] = {
        "status": target,
        "updated_at": now,
        "due_at": _due(action, enquiry, now, at),
    }
    words = _describe(action, data, at)
    if action_name == "appointment":
        updates |= _appointment(enquiry, data, at)
    if action_name == "close":
        updates |= _close_reason(enquiry, data)
    if target in CLOSED:
        updates |= {
            "closed_by": by,
            "last_active_status": enquiry.status if enquiry.status in WORKABLE else "",
        }
    elif action_name == "reopen":
        updates |= {"closed_by": None, "close_reason_group": "", "close_reason": ""}
    updates |= _values(data.values)
    for name, value in updates.items():
        setattr(enquiry, name, value)
    enquiry.save(update_fields=list(updates))
    note_status_changes([enquiry])  # F5: in this transaction
    _note_processed(enquiry, now)
    record(
        enquiry,
        category=HistoryCategory.ACTION,
        kind=action_name,
        message=words,
        actor=by,
        data={
            "action": action_name,
            "status": target,
            **{k: str(v) for k, v in data.values.items()},
        },
    )
    return enquiry


def _note_processed(enquiry: Enquiry, now: datetime) -> None:
    """Reports (F1, decision 0040): the first action of the partner that accepted the offer
    marks it processed further; later actions leave the first date."""
    Offer.objects.filter(
        enquiry=enquiry,
        partner_id=enquiry.owner_id,
        status=OfferStatus.ACCEPTED,
        processed_at__isnull=True,
    ).update(processed_at=now)


def _when(action: Action, data: ActionInput, now: datetime) -> datetime | None:
    if action.due.kind != "at":
        return None
    if data.at is None and data.in_days is None:
        raise ActionRefused(
            f"“{action.label}” needs a date and time, or a number of days from now."
        )
    at = data.at if data.at is not None else now + timedelta(days=data.in_days or 0)
    if at <= now:
        raise ActionRefused("The date must lie in the future.")
    return at


def _due(action: Action, enquiry: Enquiry, now: datetime, at: datetime | None) -> datetime | None:
    calendar = calendar_of(enquiry.owner)
    if action.due.kind == "hours":
        return add_working_hours(now, action.due.amount, calendar)
    if action.due.kind == "days":
        return add_working_days(now, action.due.amount, calendar)
    return at  # "at": owed at that date; "none": nothing is owed any more


def _appointment(enquiry: Enquiry, data: ActionInput, at: datetime | None) -> dict[str, Any]:
    if data.place not in Place.values:
        raise ActionRefused(
            "Choose where the appointment takes place: " + ", ".join(Place.values) + "."
        )
    showroom = data.showroom if data.place == Place.SHOWROOM else None
    if data.place == Place.SHOWROOM and (
        showroom is None or showroom.organisation_id != enquiry.owner_id
    ):
        raise ActionRefused("Choose the showroom, one of your organisation's units.")
    return {"appointment_at": at, "appointment_place": data.place, "appointment_unit": showroom}


def _close_reason(enquiry: Enquiry, data: ActionInput) -> dict[str, Any]:
    reasons = enquiry.owner.close_reasons.get(data.reason_group)
    if reasons is None:
        raise ActionRefused("Say whose reason it is: the prospect's (prospect) or ours (ours).")
    if data.reason not in reasons:
        raise ActionRefused(f"Choose one of the reasons: {', '.join(reasons)}.")
    return {"close_reason_group": data.reason_group, "close_reason": data.reason}


def _values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(AMOUNT_FIELDS)
    if unknown:
        raise ActionRefused(f"Unknown project values: {', '.join(sorted(unknown))}.")
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name.endswith("_amount"):
            try:
                amount = Decimal(str(value))
            except ArithmeticError as exc:
                raise ActionRefused(f"{name} must be a number.") from exc
            if amount < 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
                raise ActionRefused(f"{name} must be a positive amount with at most two decimals.")
            out[name] = amount
        else:
            out[name] = str(value)[:64]
    return out


def _describe(action: Action, data: ActionInput, at: datetime | None) -> str:
    when = timezone.localtime(at).strftime("%d/%m/%Y %H:%M") if at else ""
    if action.name == "appointment":
        where = (
            data.showroom.name
            if data.place == Place.SHOWROOM and data.showroom
            else Place(data.place).label
        )
        return f"Appointment set for {when}: {where}."
    if action.name in ("agree_quote", "negotiate"):
        return f"{action.label}: {when}."
    if action.name == "close":
        group = "the prospect's reason" if data.reason_group == "prospect" else "our reason"
        return f"Closed ({group}): {data.reason}."
    return f"{action.label}."
