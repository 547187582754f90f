"""One e-mail carrying ADF, however it arrived (MTA pipe or IMAP): the outcome decides
the MTA's exit code or what the poller does with the message."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass

from leadhub.intake.ingest import IdempotencyConflict
from leadhub.intake.leaddata import FieldError, IntakeError
from leadhub.intake.models import Channel
from leadhub.intake.rejections import keep_rejected

from .mail import read_mail
from .receive import read_documents, receive
from .settings import AdfSettings

MAX_MESSAGE_BYTES = 25_000_000  # larger than any ADF e-mail with attachments


class Outcome(enum.Enum):
    DELIVERED = "delivered"
    REPLAYED = "replayed"  # seen before: nothing new, and nothing wrong
    REFUSED = "refused"  # kept as a rejected delivery; retrying will not help
    FORBIDDEN = "forbidden"  # a sender the channel does not take: nothing kept


@dataclass(frozen=True)
class MailResult:
    outcome: Outcome
    detail: str  # the enquiry numbers, or the reasons


def receive_mail(channel: Channel, raw: bytes, *, envelope_sender: str = "") -> MailResult:
    """Ingest the ADF leads of one message. A database problem is not caught here: it
    raises DatabaseError, which callers turn into "try again later"."""
    settings = AdfSettings.model_validate(channel.settings)
    if len(raw) > MAX_MESSAGE_BYTES:
        return _refused(channel, raw[:1_000_000], [FieldError("body", "message too large")])
    mail = read_mail(raw)
    sender = envelope_sender.lower() or mail.sender
    if not settings.allows(sender):
        return MailResult(Outcome.FORBIDDEN, f"sender {sender or '(none)'} is not allowed")
    if not mail.documents:
        return _refused(channel, raw, [FieldError("body", "no ADF document in the message")])
    try:
        leads = read_documents(channel, mail.documents)
    except IntakeError as exc:
        return _refused(channel, raw, exc.errors)
    about = {"mail": {"message_id": mail.message_id, "from": sender, "subject": mail.subject}}
    # Without a Message-ID the content stands in, so a redelivered copy is still one lead.
    key = "mail:" + (mail.message_id or hashlib.sha256(raw).hexdigest())
    try:
        received = receive(channel, leads, delivery_key=key, about=about)
    except IdempotencyConflict:
        problem = FieldError("Message-ID", "already received with different ADF content")
        return _refused(channel, raw, [problem])
    numbers = ", ".join(a["number"] for a in received.answers)
    return MailResult(Outcome.REPLAYED if received.replayed else Outcome.DELIVERED, numbers)


def _refused(channel: Channel, raw: bytes, errors: list[FieldError]) -> MailResult:
    keep_rejected(
        channel,
        raw,
        reason="not readable" if errors[0].field == "body" else "invalid fields",
        errors=errors,
        content_type="message/rfc822",
    )
    return MailResult(Outcome.REFUSED, "; ".join(f"{e.field}: {e.message}" for e in errors))
