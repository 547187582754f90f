"""Writes on referral forms, links and referrals. Each is one transaction; e-mails to the
broker are tasks that exist only if the write commits."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from leadhub.documents.models import Document
from leadhub.documents.tasks import make_thumbnail
from leadhub.documents.thumbnails import can_draw
from leadhub.duplicates.keys import email_key
from leadhub.enquiries.history import record
from leadhub.enquiries.models import Enquiry, HistoryCategory
from leadhub.intake.ingest import ingest
from leadhub.intake.leaddata import LeadData
from leadhub.intake.models import Channel, ChannelKind
from leadhub.notifications.enqueue import enqueue_with_commit
from leadhub.orgs.models import Organisation, User
from leadhub.search import index as search_index

from .lead import referral_lead
from .models import (
    MessageKind,
    Referral,
    ReferralDocument,
    ReferralForm,
    ReferralLink,
    ReferralMessage,
    ReferralStatus,
)
from .submission import Attachment, ReferralData
from .tasks import send_referral_message


class ReferralRefused(ValueError):
    """The action is not possible (now); the message says why, for the user."""


# Forms and links -------------------------------------------------------------------


def referral_channel(brand: Organisation) -> Channel:
    """The brand's channel of kind "referral" (the first, if the network file declares
    several); made on first use, with a random token nobody needs: brokers come in through
    their links, never through the intake API."""
    channel = Channel.objects.filter(brand=brand, kind=ChannelKind.REFERRAL).order_by("id").first()
    if channel is not None:
        return channel
    key = f"{brand.key[:50]}-referrals"
    if Channel.objects.filter(key=key).exists():
        key = f"{brand.key[:40]}-referrals-{secrets.token_hex(4)}"
    return Channel.objects.create(
        key=key, brand=brand, kind=ChannelKind.REFERRAL, token=secrets.token_urlsafe(32)
    )


@transaction.atomic
def create_form(
    brand: Organisation, *, name: str, project: str, by: User, now: datetime
) -> ReferralForm:
    name, project = name.strip(), project.strip()
    if not name or not project:
        raise ReferralRefused(_("A referral form needs a name and a project."))
    if ReferralForm.objects.filter(brand=brand, name__iexact=name).exists():
        raise ReferralRefused(_("There is a referral form with this name already."))
    form = ReferralForm.objects.create(
        brand=brand,
        channel=referral_channel(brand),
        name=name[:200],
        project=project[:200],
        created_at=now,
        created_by=by,
    )
    ReferralLink.objects.create(form=form, created_at=now, created_by=by)
    return form


def live_link(form: ReferralForm) -> ReferralLink | None:
    return form.links.filter(revoked_at__isnull=True).first()


@transaction.atomic
def revoke_link(form: ReferralForm, *, by: User, now: datetime) -> int:
    """Revoke the form's live link: its address answers 404 from now on."""
    return form.links.filter(revoked_at__isnull=True).update(revoked_at=now, revoked_by=by)


@transaction.atomic
def new_link(form: ReferralForm, *, by: User, now: datetime) -> ReferralLink:
    """A fresh private link for the form; the previous one stops working."""
    ReferralForm.objects.select_for_update().filter(pk=form.pk).first()  # one renewal at a time
    revoke_link(form, by=by, now=now)
    return ReferralLink.objects.create(form=form, created_at=now, created_by=by)


# Submission --------------------------------------------------------------------------


def _digest(attachment: Attachment) -> str:
    sha = hashlib.sha256()
    attachment.upload.seek(0)
    for chunk in attachment.upload.chunks():
        sha.update(chunk)
    attachment.upload.seek(0)
    return sha.hexdigest()


def submit_referral(
    link: ReferralLink, data: ReferralData, *, form_key: str, now: datetime
) -> tuple[Referral, bool]:
    """Store a broker's referral: (the referral, whether it is new). The same form sent
    again (a double click, a retry) answers the referral it already made."""
    form = link.form
    earlier = Referral.objects.filter(form=form, form_key=form_key).first()
    if earlier is not None:
        return earlier, False
    files: dict[str, tuple[Attachment, str]] = {}  # by SHA-256: the same file once
    for attachment in data.attachments:
        files.setdefault(_digest(attachment), (attachment, ""))
    stored: list[str] = []
    try:
        # Files go to disk first, under random names; if the rows are not written, they go.
        for sha, (attachment, _name) in list(files.items()):
            path = default_storage.save(
                f"referrals/{form.brand_id}/{secrets.token_hex(16)}", attachment.upload
            )
            stored.append(path)
            files[sha] = (attachment, path)
        with transaction.atomic():
            referral = Referral.objects.create(
                brand_id=form.brand_id,
                form=form,
                link=link,
                form_key=form_key,
                created_at=now,
                first_name=data.first_name,
                last_name=data.last_name,
                phone=data.phone,
                email=data.email,
                email_key=email_key(data.email),
                national_id=data.national_id,
                id_card=data.id_card,
                note=data.note,
                broker_name=data.broker_name,
                broker_email=data.broker_email,
                broker_phone=data.broker_phone,
            )
            ReferralDocument.objects.bulk_create(
                ReferralDocument(
                    referral=referral,
                    uploaded_at=now,
                    filename=a.filename,
                    content_type=a.kind.content_type,
                    size=a.upload.size or 0,
                    sha256=sha,
                    file=path,
                )
                for sha, (a, path) in files.items()
            )
    except IntegrityError:
        # The same form arrived twice at once: the other submission won.
        for path in stored:
            default_storage.delete(path)
        return Referral.objects.get(form=form, form_key=form_key), False
    except BaseException:
        for path in stored:
            default_storage.delete(path)
        raise
    return referral, True


# Decisions and messages ---------------------------------------------------------------


def _pending(referral_id: int) -> Referral:
    """The referral, locked, if it still waits for a decision."""
    referral = (
        Referral.objects.select_for_update()
        .select_related("form__channel__brand")
        .get(pk=referral_id)
    )
    if referral.status != ReferralStatus.PENDING:
        raise ReferralRefused(_("This referral was decided already."))
    return referral


def _message(
    referral: Referral, kind: MessageKind, text: str, by: User, now: datetime
) -> ReferralMessage:
    message = ReferralMessage.objects.create(
        referral=referral, at=now, kind=kind, text=text, author=by, sent_to=referral.broker_email
    )
    enqueue_with_commit(send_referral_message, message.pk)
    return message


def _decided(referral: Referral, status: ReferralStatus, by: User, now: datetime) -> None:
    referral.status = status
    referral.status_changed_at = now
    referral.status_changed_by = by
    referral.save(update_fields=["status", "status_changed_at", "status_changed_by", "enquiry"])


def _lead(referral: Referral) -> LeadData:
    form = referral.form
    return referral_lead(
        referral_id=referral.pk,
        first_name=referral.first_name,
        last_name=referral.last_name,
        phone=referral.phone,
        email=referral.email,
        note=referral.note,
        project=form.project,
        source=form.name,
        broker_name=referral.broker_name,
        broker_email=referral.broker_email,
        broker_phone=referral.broker_phone,
        country=form.channel.brand.country,
        submitted_at=referral.created_at,
    )


@transaction.atomic
def accept_referral(referral_id: int, *, by: User, comment: str, now: datetime) -> Referral:
    """Accept: the client becomes a contact with a quote enquiry of the brand, routed like
    any other intake (through the form's referral channel, idempotent on the referral);
    the broker's documents go onto the enquiry; the comment is e-mailed to the broker."""
    referral = _pending(referral_id)
    form = referral.form
    lead = _lead(referral)
    digest = hashlib.sha256(json.dumps(lead.raw, sort_keys=True).encode()).hexdigest()
    delivery = ingest(form.channel, lead, idempotency_key=None, body_digest=digest)
    enquiry = Enquiry.objects.get(number=delivery.body["number"])
    _copy_documents(referral, enquiry, now)
    search_index.refresh([enquiry.pk])  # with the broker's documents
    referral.enquiry = enquiry
    _decided(referral, ReferralStatus.ACCEPTED, by, now)
    record(
        enquiry,
        category=HistoryCategory.SYSTEM,
        kind="referral_accepted",
        message=f"Referral {referral.pk} from {referral.broker_name} accepted by {by.display_name()}.",
        actor=by,
        data={"referral": referral.pk},
    )
    _message(referral, MessageKind.ACCEPTED, comment.strip(), by, now)
    return referral


def _copy_documents(referral: Referral, enquiry: Enquiry, now: datetime) -> None:
    """The broker's files become the enquiry's documents (the same stored files: neither
    is ever deleted from disk, decision 0014's audit trail)."""
    for d in referral.documents.all():
        doc = Document.objects.create(
            enquiry=enquiry,
            organisation_id=referral.brand_id,
            uploaded_by=None,
            uploaded_at=d.uploaded_at,
            filename=d.filename,
            content_type=d.content_type,
            size=d.size,
            sha256=d.sha256,
            file=d.file.name,
            thumbnail_done_at=None if can_draw(d.content_type) else now,
        )
        record(
            enquiry,
            category=HistoryCategory.DOCUMENT,
            kind="document_added",
            message=f"Added document “{d.filename}” from the broker's referral.",
            organisation=referral.brand,
            data={"document": doc.pk},
        )
        if doc.thumbnail_done_at is None:
            enqueue_with_commit(make_thumbnail, doc.pk)


@transaction.atomic
def reject_referral(referral_id: int, *, by: User, comment: str, now: datetime) -> Referral:
    """Reject with a reason, which is e-mailed to the broker; nothing else is made."""
    if not comment.strip():
        raise ReferralRefused(_("Tell the broker why the referral is rejected."))
    referral = _pending(referral_id)
    _decided(referral, ReferralStatus.REJECTED, by, now)
    _message(referral, MessageKind.REJECTED, comment.strip(), by, now)
    return referral


@transaction.atomic
def message_broker(referral: Referral, *, by: User, text: str, now: datetime) -> ReferralMessage:
    """A free message to the broker, e-mailed and kept in the referral's thread."""
    if not text.strip():
        raise ReferralRefused(_("The message is empty."))
    return _message(referral, MessageKind.MESSAGE, text.strip()[:4000], by, now)
