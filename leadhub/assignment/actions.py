"""Assign by hand (B3) and by e-mail (B6).

One entry point for every target. Into the brand's hands or to a partner that works in
Leadhub, the routing module's `assign_by_hand` decides (it withdraws a pending offer and
keeps the offer rules). A partner that accepted an enquiry distributes it among its own
users and units here. A target outside Leadhub gets an e-mail with all details and a
private link; the assigner stays responsible (the enquiry is assigned to them) and
documents the external steps in the pipeline as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from leadhub.enquiries.history import record
from leadhub.enquiries.models import Enquiry, HistoryCategory
from leadhub.enquiries.queries import DISPATCH_ROLES, Access, may_dispatch
from leadhub.enquiries.states import CLOSED
from leadhub.notifications.enqueue import enqueue_with_commit
from leadhub.notifications.models import Notice
from leadhub.orgs.models import Organisation, OrgUnit, User
from leadhub.routing.actions import HandOffError, assign_by_hand
from leadhub.routing.planner import brand_of
from leadhub.search import index as search_index

from .models import ExternalAssignment
from .targets import Kind, Target
from .tasks import send_external_assignment


class AssignRefused(ValueError):
    pass


@dataclass(frozen=True)
class Assigned:
    description: str  # "assigned to Anna Rossi", for the user's confirmation
    external: ExternalAssignment | None = None


def may_assign(user: User, access: Access, enquiry: Enquiry) -> bool:
    """The owner's dispatchers, managers and admins: the brand's for what it holds, a
    partner's for what it accepted (its own distribution among its users)."""
    return (
        access is Access.OWNER and user.has_role(*DISPATCH_ROLES) and enquiry.status not in CLOSED
    )


def offers_partners(user: User, access: Access, enquiry: Enquiry) -> bool:
    """Whether partners are among the targets: only the brand, while it holds the enquiry."""
    return may_dispatch(user, access, enquiry)


@transaction.atomic
def assign_to(
    enquiry: Enquiry,
    target: Target,
    *,
    by: User,
    now: datetime,
    message: str = "",
    copy_to_sender: bool = False,
) -> Assigned:
    org = enquiry.owner
    brand_holds = enquiry.owner_id == brand_of(enquiry).pk
    if target.kind is Kind.PARTNER and not brand_holds:
        raise AssignRefused("Only the brand offers enquiries to partners.")
    external = not target.internal
    if external and not target.email:
        raise AssignRefused(f"{target.label} has no e-mail address to send the enquiry to.")
    # A newer assignment replaces an e-mail one: its private link stops working.
    ExternalAssignment.objects.filter(enquiry=enquiry, revoked_at__isnull=True).update(
        revoked_at=now
    )
    if brand_holds:
        _brand_assigns(enquiry, target, by=by, now=now, external=external)
    else:
        _partner_assigns(enquiry, target, by=by, now=now, external=external)
    if not external:
        if target.kind is Kind.USER and target.key != by.username:
            Notice.objects.create(
                user=User.objects.get(organisation=org, username=target.key),
                enquiry=enquiry,
                message=f"{by.display_name()} assigned enquiry {enquiry.number} to you.",
                created_at=now,
            )
        return Assigned(_internal_description(target))
    sent = _send_externally(enquiry, target, by=by, now=now, message=message, copy=copy_to_sender)
    search_index.refresh([enquiry.pk])  # the recipient is searched as responsible
    return Assigned(f"e-mailed to {sent.recipient}; you stay responsible", sent)


def _internal_description(target: Target) -> str:
    if target.kind is Kind.PARTNER:
        return f"offered to {target.label}"
    if target.kind is Kind.UNIT:
        return f"queue of {target.label}"
    return f"assigned to {target.label}"


def _brand_assigns(
    enquiry: Enquiry, target: Target, *, by: User, now: datetime, external: bool
) -> None:
    """Through routing's hand assignment: it withdraws a pending offer first."""
    org = enquiry.owner
    try:
        if external:  # the assigner stays responsible
            assign_by_hand(enquiry, by=by, now=now, user=by)
        elif target.kind is Kind.USER:
            assign_by_hand(
                enquiry,
                by=by,
                now=now,
                user=User.objects.get(organisation=org, username=target.key),
            )
        elif target.kind is Kind.UNIT:
            assign_by_hand(
                enquiry, by=by, now=now, unit=OrgUnit.objects.get(organisation=org, key=target.key)
            )
        else:
            partner = Organisation.objects.get(key=target.key, brands=org)
            assign_by_hand(enquiry, by=by, now=now, partner=partner)
    except HandOffError as exc:
        raise AssignRefused(str(exc)) from exc


def _partner_assigns(
    enquiry: Enquiry, target: Target, *, by: User, now: datetime, external: bool
) -> None:
    """A partner's own distribution: the enquiry stays its own, only who works it changes."""
    enquiry = Enquiry.objects.select_for_update(of=("self",)).get(pk=enquiry.pk)
    if enquiry.owner_id != by.organisation_id or enquiry.status in CLOSED:
        raise AssignRefused("This enquiry is no longer yours to assign.")
    if external or target.kind is Kind.USER:
        user = (
            by if external else User.objects.get(organisation=by.organisation, username=target.key)
        )
        enquiry.assigned_user, enquiry.assigned_unit = user, user.unit
    else:
        enquiry.assigned_user = None
        enquiry.assigned_unit = OrgUnit.objects.get(organisation=by.organisation, key=target.key)
    enquiry.updated_at = now
    enquiry.save(update_fields=["assigned_user", "assigned_unit", "updated_at"])
    search_index.refresh([enquiry.pk])
    if not external:
        record(
            enquiry,
            category=HistoryCategory.ASSIGNMENT,
            kind="assigned",
            message=f"{_internal_description(target).capitalize()} by {by.display_name()}.",
            actor=by,
            data={"kind": str(target.kind), "target": target.key},
        )


def _send_externally(
    enquiry: Enquiry, target: Target, *, by: User, now: datetime, message: str, copy: bool
) -> ExternalAssignment:
    partner = (
        Organisation.objects.filter(key=target.key).first() if target.kind is Kind.PARTNER else None
    )
    sent = ExternalAssignment.objects.create(
        enquiry=enquiry,
        organisation=enquiry.owner,
        assigned_by=by,
        partner=partner,
        name="" if target.kind is Kind.EMAIL else target.label,
        email=target.email,
        message=message.strip(),
        copy_to_sender=copy and bool(by.email),
        created_at=now,
    )
    _queue(sent, by=by, now=now, kind="assigned_externally", verb="Assigned externally")
    return sent


@transaction.atomic
def resend(external: ExternalAssignment, *, by: User, now: datetime) -> ExternalAssignment:
    """B6: send the details again, as they are now (after changes)."""
    external = ExternalAssignment.objects.select_for_update().get(pk=external.pk)
    if external.revoked_at is not None:
        raise AssignRefused("A newer assignment replaced this one; it cannot be re-sent.")
    if external.enquiry.status in CLOSED:
        raise AssignRefused("The enquiry is done; there is nothing to send.")
    _queue(external, by=by, now=now, kind="external_resent", verb="Re-sent")
    return external


def _queue(external: ExternalAssignment, *, by: User, now: datetime, kind: str, verb: str) -> None:
    external.sent_count += 1
    external.last_sent_at = now
    external.save(update_fields=["sent_count", "last_sent_at"])
    copy = f" (copy to {by.email})" if external.copy_to_sender else ""
    record(
        external.enquiry,
        category=HistoryCategory.ASSIGNMENT,
        kind=kind,
        message=f"{verb} by e-mail to {external.recipient}{copy} by {by.display_name()}; "
        f"{by.display_name()} stays responsible.",
        actor=by,
        data={"external_assignment": external.pk, "email": external.email},
    )
    Enquiry.objects.filter(pk=external.enquiry_id).update(updated_at=now)
    enqueue_with_commit(send_external_assignment, external.pk, external.sent_count)
