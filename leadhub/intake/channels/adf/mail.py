"""Finding the ADF document(s) in an RFC 822 message (pure: no database).

Lead providers send ADF as the whole body of a text e-mail, inline in a longer text
body, or as an XML attachment, sometimes both at once; attachments win when present,
so the same lead is not read twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import parseaddr

XML_TYPES = {"text/xml", "application/xml", "application/x-adf+xml", "text/x-adf+xml"}
# An <adf> document inside other text, with the declarations that may precede it.
INLINE_ADF = re.compile(
    r"(?:<\?xml[^>]*\?>\s*)?(?:<\?adf[^>]*\?>\s*)?<adf[\s>].*?</adf\s*>", re.IGNORECASE | re.DOTALL
)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


@dataclass(frozen=True)
class Mail:
    message_id: str
    sender: str  # the From address, lower-cased
    subject: str
    documents: list[bytes]  # each an XML document as bytes (its own encoding declaration)


def read_mail(raw: bytes) -> Mail:
    message = message_from_bytes(raw, policy=policy.default)
    attached = [d for part in message.walk() if (d := _attachment(part)) is not None]
    documents = attached or _inline(message)
    return Mail(
        message_id=str(message.get("Message-ID", "")).strip().strip("<>")[:190],
        sender=parseaddr(str(message.get("From", "")))[1].lower(),
        subject=str(message.get("Subject", ""))[:200],
        documents=documents,
    )


def _attachment(part: Message) -> bytes | None:
    if part.is_multipart():
        return None
    filename = (part.get_filename() or "").lower()
    content_type = part.get_content_type()
    if content_type not in XML_TYPES and not filename.endswith((".xml", ".adf")):
        return None  # text bodies are looked at by _inline
    return _as_xml(part)


def _as_xml(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = part.get_content_charset()
    if charset and part.get_content_maintype() == "text":
        # The MIME charset decides for text/* (RFC 7303); re-encode as UTF-8 and drop a
        # declaration that would now say otherwise.
        text = data.decode(charset, errors="replace")
        return XML_DECLARATION.sub("", text, count=1).lstrip().encode()
    return data


def _inline(message: EmailMessage) -> list[bytes]:
    for part in message.walk():
        if part.get_content_type() != "text/plain" or part.is_multipart():
            continue
        content = part.get_content()
        if not isinstance(content, str):
            continue
        found = [
            XML_DECLARATION.sub("", m.group(0), count=1).lstrip()
            for m in INLINE_ADF.finditer(content)
        ]
        if found:
            return [f.encode() for f in found]
    return []
