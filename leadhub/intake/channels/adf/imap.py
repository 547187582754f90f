"""Polling a mailbox for ADF e-mails (`leadhub intake imap`), with the standard library's
imaplib. Unseen messages are read without marking them (BODY.PEEK), ingested, then moved
to `done_folder` or marked read; refused ones are marked read and flagged for a human.
A database problem stops the run and leaves the message unseen for the next one."""

from __future__ import annotations

import contextlib
import imaplib
import ssl
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import DatabaseError

from leadhub.intake.models import Channel

from .inbox import Outcome, receive_mail
from .settings import AdfSettings, ImapSettings


class MailboxError(Exception):
    """The mailbox cannot be reached or read (try again later), or is not configured."""


class MailboxNotConfigured(MailboxError):
    """The channel has no `imap` settings."""


@dataclass
class PollReport:
    counts: Counter[str] = field(default_factory=Counter)
    lines: list[str] = field(default_factory=list)
    deferred: bool = False  # stopped on a database problem; the rest waits for the next run


def open_mailbox(s: ImapSettings) -> imaplib.IMAP4:
    if s.ssl:
        return imaplib.IMAP4_SSL(
            s.host, s.effective_port(), ssl_context=ssl.create_default_context(), timeout=30
        )
    return imaplib.IMAP4(s.host, s.effective_port(), timeout=30)


def poll(channel: Channel) -> PollReport:
    s = AdfSettings.model_validate(channel.settings).imap
    if s is None:
        raise MailboxNotConfigured(f"channel {channel.key} has no imap settings")
    try:
        conn = open_mailbox(s)
    except OSError as exc:
        raise MailboxError(f"cannot connect to {s.host}:{s.effective_port()}: {exc}") from exc
    try:
        conn.login(s.user, s.secret())
        return _poll(conn, channel, s)
    except (imaplib.IMAP4.error, OSError, LookupError) as exc:
        raise MailboxError(str(exc)) from exc
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            conn.logout()


def _poll(conn: imaplib.IMAP4, channel: Channel, s: ImapSettings) -> PollReport:
    report = PollReport()
    if s.done_folder:
        conn.create(_quoted(s.done_folder))  # "NO, exists" is fine
    _check(conn.select(_quoted(s.folder)), f"select {s.folder}")
    typ, data = conn.uid("SEARCH", "UNSEEN")
    _check((typ, data), "search")
    uids = [u.decode() for u in data[0].split()] if data and isinstance(data[0], bytes) else []
    moved = False
    for uid in uids:
        raw = _fetch(conn, uid)
        try:
            result = receive_mail(channel, raw)
        except DatabaseError as exc:
            report.deferred = True
            report.lines.append(f"message {uid}: database problem, left for later: {exc}")
            break
        report.counts[result.outcome.value] += 1
        report.lines.append(f"message {uid}: {result.outcome.value}: {result.detail}")
        if result.outcome in (Outcome.DELIVERED, Outcome.REPLAYED):
            moved |= _done(conn, uid, s)
        elif result.outcome is Outcome.REFUSED:
            conn.uid("STORE", uid, "+FLAGS", r"(\Seen \Flagged)")
        else:
            conn.uid("STORE", uid, "+FLAGS", r"(\Seen)")
    if moved:
        conn.expunge()
    return report


def _fetch(conn: imaplib.IMAP4, uid: str) -> bytes:
    typ, data = conn.uid("FETCH", uid, "(BODY.PEEK[])")
    _check((typ, data), f"fetch {uid}")
    for item in data:
        if isinstance(item, tuple):
            return bytes(item[1])
    raise MailboxError(f"fetch {uid}: no message in the answer")


def _done(conn: imaplib.IMAP4, uid: str, s: ImapSettings) -> bool:
    """Move (or mark read) a processed message; True when an expunge is still owed."""
    if not s.done_folder:
        conn.uid("STORE", uid, "+FLAGS", r"(\Seen)")
        return False
    if "MOVE" in conn.capabilities:
        _check(conn.uid("MOVE", uid, _quoted(s.done_folder)), f"move to {s.done_folder}")
        return False
    _check(conn.uid("COPY", uid, _quoted(s.done_folder)), f"copy to {s.done_folder}")
    conn.uid("STORE", uid, "+FLAGS", r"(\Seen \Deleted)")
    return True


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(answer: tuple[str, Sequence[object]], what: str) -> None:
    if answer[0] != "OK":
        raise MailboxError(f"{what}: {answer[0]} {answer[1]!r}")
