"""leadhub intake mail --channel KEY < message    (an MTA pipe: ADF e-mails, A4)
leadhub intake imap --channel KEY [--once]      (poll the channel's mailbox for them)

Exit codes follow sysexits.h, which MTAs act on: 0 delivered (also a repeat), 65 refused
(kept as a rejected delivery; the MTA bounces), 75 a temporary problem such as the
database, or an unexpected error (the MTA or cron tries again), 77 a sender the channel
does not take, 78 no such ADF channel (a set-up mistake: Postfix defers, not bounces)."""

from __future__ import annotations

import os
import sys
import time
import traceback
from argparse import ArgumentParser
from typing import Any, BinaryIO

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from leadhub.intake.channels.adf.imap import MailboxError, MailboxNotConfigured, poll
from leadhub.intake.channels.adf.inbox import MAX_MESSAGE_BYTES, Outcome, receive_mail
from leadhub.intake.models import Channel

EXIT = {
    Outcome.DELIVERED: os.EX_OK,
    Outcome.REPLAYED: os.EX_OK,
    Outcome.REFUSED: os.EX_DATAERR,
    Outcome.FORBIDDEN: os.EX_NOPERM,
}


class Command(BaseCommand):
    help = "Take in ADF leads from e-mail: one message on stdin, or a mailbox over IMAP."
    stealth_options = ("stdin",)  # tests pass the message as a file object

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        mail = sub.add_parser("mail", help="read one RFC 822 message from stdin")
        mail.add_argument("--channel", required=True, help="key of an adf channel")
        mail.add_argument("--sender", default="", help="envelope sender (Postfix: ${sender})")
        imap = sub.add_parser("imap", help="poll the channel's mailbox (settings: imap)")
        imap.add_argument("--channel", required=True, help="key of an adf channel")
        imap.add_argument("--once", action="store_true", help="one pass, for cron")
        imap.add_argument("--interval", type=float, default=60.0, help="seconds between passes")

    def handle(self, *args: Any, **o: Any) -> None:
        code = self._mail(o) if o["action"] == "mail" else self._imap(o)
        if code != os.EX_OK:
            raise SystemExit(code)

    def _channel(self, key: str) -> Channel | None:
        channel = Channel.objects.select_related("brand").filter(key=key, kind="adf").first()
        if channel is None:
            self.stderr.write(f"no adf channel {key!r}")
        return channel

    def _mail(self, o: dict[str, Any]) -> int:
        stream: BinaryIO = o.get("stdin") or sys.stdin.buffer
        raw = stream.read(MAX_MESSAGE_BYTES + 1)
        try:
            channel = self._channel(o["channel"])
            if channel is None:
                return os.EX_CONFIG
            result = receive_mail(channel, raw, envelope_sender=o["sender"])
        except DatabaseError as exc:
            self.stderr.write(f"database problem, try again later: {exc}")
            return os.EX_TEMPFAIL
        except Exception:
            # A bug must not bounce a lead: the MTA keeps the message queued until it is fixed.
            self.stderr.write(traceback.format_exc())
            return os.EX_TEMPFAIL
        out = self.stdout if EXIT[result.outcome] == os.EX_OK else self.stderr
        out.write(f"{result.outcome.value}: {result.detail}")
        return EXIT[result.outcome]

    def _imap(self, o: dict[str, Any]) -> int:
        while True:
            try:
                channel = self._channel(o["channel"])
                if channel is None:
                    return os.EX_CONFIG
                report = poll(channel)
            except MailboxNotConfigured as exc:
                self.stderr.write(str(exc))
                return os.EX_CONFIG
            except (DatabaseError, MailboxError) as exc:
                self.stderr.write(f"try again later: {exc}")
                if o["once"]:
                    return os.EX_TEMPFAIL
            else:
                for line in report.lines:
                    self.stdout.write(line)
                if o["once"]:
                    return os.EX_TEMPFAIL if report.deferred else os.EX_OK
            time.sleep(o["interval"])
            # A long-running poller must not keep a connection the database dropped.
            close_old_connections()
