"""Broker referrals through the API (E4): the tab's list with its filters and counts, a
referral's detail, accept, reject and messages to the broker; the brand's referral forms
and their links (A5). Brand users only; everyone else gets 404, as on the pages."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from leadhub.orgs.models import User
from leadhub.referrals.actions import (
    ReferralRefused,
    accept_referral,
    create_form,
    live_link,
    message_broker,
    new_link,
    reject_referral,
    revoke_link,
)
from leadhub.referrals.links import link_url
from leadhub.referrals.models import Referral, ReferralForm, ReferralStatus
from leadhub.referrals.queries import (
    BadFilter,
    apply_filters,
    forms_for_user,
    may_decide,
    may_manage_forms,
    may_see_referrals,
    parse_filters,
    referral_for_user,
    referrals_for_user,
    similar_to,
    status_counts,
)

from .auth import current_user, user_auth
from .schemas import ErrorOut

router = Router(tags=["referrals"], auth=user_auth)
forms_router = Router(tags=["referrals"], auth=user_auth)


class ListQuery(Schema):
    id: int | None = None
    client: str = ""
    advisor: str = ""
    created_from: date | None = None
    created_to: date | None = None
    status: ReferralStatus | None = None
    project: str = ""
    source: int | None = None  # a referral form's id
    limit: int = 50
    offset: int = 0


class ReferralSummaryOut(Schema):
    id: int
    status: str
    created_at: datetime
    client_name: str
    project: str
    source: str
    source_id: int
    broker_name: str


class CountsOut(Schema):
    pending: int
    accepted: int
    rejected: int
    all: int


class ReferralPageOut(Schema):
    counts: CountsOut  # by status, under the other filters
    total: int
    items: list[ReferralSummaryOut]


class ClientOut(Schema):
    first_name: str
    last_name: str
    phone: str
    email: str
    national_id: str
    id_card: str
    note: str


class BrokerOut(Schema):
    name: str
    email: str
    phone: str


class MessageOut(Schema):
    at: datetime
    kind: str
    text: str
    author: str
    sent_to: str
    sent_at: datetime | None


class DocumentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    url: str


class SimilarOut(Schema):
    clients: list[dict[str, str]]
    referrals: list[dict[str, object]]
    leads: list[dict[str, str]]


class ReferralDetailOut(ReferralSummaryOut):
    status_changed_at: datetime | None
    status_changed_by: str | None
    enquiry_number: str | None
    client: ClientOut
    broker: BrokerOut
    documents: list[DocumentOut]
    messages: list[MessageOut]
    similar: SimilarOut


class CommentIn(Schema):
    comment: str = ""


class MessageIn(Schema):
    text: str


def _summary(r: Referral) -> dict[str, object]:
    return {
        "id": r.pk,
        "status": r.status,
        "created_at": r.created_at,
        "client_name": r.client_name,
        "project": r.form.project,
        "source": r.form.name,
        "source_id": r.form_id,
        "broker_name": r.broker_name,
    }


def _detail(user: User, r: Referral) -> dict[str, object]:
    similar = similar_to(user, r)
    return {
        **_summary(r),
        "status_changed_at": r.status_changed_at,
        "status_changed_by": r.status_changed_by.display_name() if r.status_changed_by else None,
        "enquiry_number": r.enquiry.number if r.enquiry else None,
        "client": {
            "first_name": r.first_name,
            "last_name": r.last_name,
            "phone": r.phone,
            "email": r.email,
            "national_id": r.national_id,
            "id_card": r.id_card,
            "note": r.note,
        },
        "broker": {"name": r.broker_name, "email": r.broker_email, "phone": r.broker_phone},
        "documents": [
            {
                "id": d.pk,
                "filename": d.filename,
                "content_type": d.content_type,
                "size": d.size,
                "url": f"/referrals/{r.pk}/documents/{d.pk}/",
            }
            for d in r.documents.all()
        ],
        "messages": [
            {
                "at": m.at,
                "kind": m.kind,
                "text": m.text,
                "author": m.author.display_name() if m.author else "",
                "sent_to": m.sent_to,
                "sent_at": m.sent_at,
            }
            for m in r.messages.select_related("author")
        ],
        "similar": {
            "clients": [
                {
                    "name": str(c),
                    "phone": c.phone,
                    "email": c.email,
                    "customer_number": c.customer_number,
                }
                for c in similar.clients
            ],
            "referrals": [
                {
                    "id": s.pk,
                    "client_name": s.client_name,
                    "status": s.status,
                    "project": s.form.project,
                }
                for s in similar.referrals
            ],
            "leads": [
                {
                    "number": e.number,
                    "name": str(e.contact),
                    "phone": e.contact.phone,
                    "email": e.contact.email,
                }
                for e in similar.leads
            ],
        },
    }


@router.get("", response={200: ReferralPageOut, 400: ErrorOut}, summary="List referrals")
def list_referrals(request: HttpRequest, query: Query[ListQuery]) -> object:
    user = current_user(request)
    if not may_see_referrals(user) or user.organisation is None:
        raise Http404
    visible = referrals_for_user(user)
    if not 1 <= query.limit <= 200 or query.offset < 0:
        return Status(400, {"detail": "limit must be between 1 and 200, offset at least 0"})
    params = {
        k: ("" if v is None else str(v))
        for k, v in query.dict().items()
        if k not in ("limit", "offset")
    }
    try:
        filters = parse_filters(params)
    except BadFilter as exc:
        return Status(400, {"detail": str(exc)})
    tz = ZoneInfo(user.organisation.timezone)
    counts = status_counts(apply_filters(visible, filters, tz, with_status=False))
    rows = apply_filters(visible, filters, tz).select_related("form")
    page = rows[query.offset : query.offset + query.limit]
    return {"counts": counts, "total": rows.count(), "items": [_summary(r) for r in page]}


@router.get("/{int:referral_id}", response={200: ReferralDetailOut, 404: ErrorOut})
def get_referral(request: HttpRequest, referral_id: int) -> object:
    user = current_user(request)
    return _detail(user, referral_for_user(user, referral_id))


DECISION = {200: ReferralDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _decide(request: HttpRequest, referral_id: int, comment: str, accept: bool) -> object:
    user = current_user(request)
    referral = referral_for_user(user, referral_id)
    if not may_decide(user):
        return Status(403, {"detail": "Your role may not decide on referrals."})
    act = accept_referral if accept else reject_referral
    try:
        referral = act(referral.pk, by=user, comment=comment, now=timezone.now())
    except ReferralRefused as exc:
        return Status(409, {"detail": str(exc)})
    return _detail(user, referral_for_user(user, referral.pk))


@router.post("/{int:referral_id}/accept", response=DECISION, summary="Accept a referral")
def accept(request: HttpRequest, referral_id: int, body: CommentIn) -> object:
    """The client becomes a contact with a quote enquiry; the comment is e-mailed to the broker."""
    return _decide(request, referral_id, body.comment, accept=True)


@router.post("/{int:referral_id}/reject", response=DECISION, summary="Reject a referral")
def reject(request: HttpRequest, referral_id: int, body: CommentIn) -> object:
    """The comment (required) is e-mailed to the broker."""
    return _decide(request, referral_id, body.comment, accept=False)


@router.post(
    "/{int:referral_id}/messages",
    response={201: MessageOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Write to the broker",
)
def message(request: HttpRequest, referral_id: int, body: MessageIn) -> object:
    user = current_user(request)
    referral = referral_for_user(user, referral_id)
    if not may_decide(user):
        return Status(403, {"detail": "Your role may not write to brokers."})
    try:
        m = message_broker(referral, by=user, text=body.text, now=timezone.now())
    except ReferralRefused as exc:
        return Status(422, {"detail": str(exc)})
    return Status(
        201,
        {
            "at": m.at,
            "kind": m.kind,
            "text": m.text,
            "author": user.display_name(),
            "sent_to": m.sent_to,
            "sent_at": None,
        },
    )


# Forms and links ---------------------------------------------------------------------


class FormIn(Schema):
    name: str
    project: str


class FormOut(Schema):
    id: int
    name: str
    project: str
    link: str | None  # the live private link; null when revoked


def _form(form: ReferralForm) -> dict[str, object]:
    link = live_link(form)
    return {
        "id": form.pk,
        "name": form.name,
        "project": form.project,
        "link": link_url(link) if link else None,
    }


@forms_router.get("", response={200: list[FormOut], 404: ErrorOut}, summary="Referral forms")
def list_forms(request: HttpRequest) -> object:
    user = current_user(request)
    if not may_see_referrals(user):
        raise Http404
    return [_form(f) for f in forms_for_user(user)]


FORM_ANSWERS = {201: FormOut, 200: FormOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@forms_router.post("", response=FORM_ANSWERS, summary="Create a referral form and its link")
def add_form(request: HttpRequest, body: FormIn) -> object:
    user = current_user(request)
    if not may_manage_forms(user) or user.organisation is None:
        return Status(403, {"detail": "Only the brand's administrators create referral forms."})
    try:
        form = create_form(
            user.organisation, name=body.name, project=body.project, by=user, now=timezone.now()
        )
    except ReferralRefused as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _form(form))


def _managed_form(user: User, form_id: int) -> ReferralForm | None:
    form = forms_for_user(user).filter(pk=form_id).first()
    if form is None:
        raise Http404
    return form if may_manage_forms(user) else None


@forms_router.post("/{int:form_id}/link", response=FORM_ANSWERS, summary="A new private link")
def renew_link(request: HttpRequest, form_id: int) -> object:
    """The previous link stops working."""
    user = current_user(request)
    form = _managed_form(user, form_id)
    if form is None:
        return Status(403, {"detail": "Only the brand's administrators manage links."})
    new_link(form, by=user, now=timezone.now())
    return _form(form)


@forms_router.delete("/{int:form_id}/link", response=FORM_ANSWERS, summary="Revoke the link")
def delete_link(request: HttpRequest, form_id: int) -> object:
    user = current_user(request)
    form = _managed_form(user, form_id)
    if form is None:
        return Status(403, {"detail": "Only the brand's administrators manage links."})
    revoke_link(form, by=user, now=timezone.now())
    return _form(form)
