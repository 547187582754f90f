"""leadhub sweep [--at ISO-8601] [--loop]: fire due deadlines, deliver due status
feedback (F5), fail exports whose worker died and remove expired export files (F4) once,
or keep doing so."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from leadhub.exports.actions import expire_old, fail_stalled
from leadhub.feedback.delivery import deliver_due
from leadhub.sla.sweeper import sweep


class Command(BaseCommand):
    help = "Fire the deadlines that are due (offers expiring, ...) and print what was done."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--at", help="sweep as of this instant (ISO 8601), default now")
        parser.add_argument("--loop", action="store_true", help="sweep every --interval seconds")
        parser.add_argument("--interval", type=float, default=15.0)

    def handle(self, *args: Any, **options: Any) -> None:
        at = _instant(options["at"]) if options["at"] else None
        if not options["loop"]:
            fired = sweep(at or timezone.now())
            for f in fired:
                self.stdout.write(f"{f.enquiry_number}: {f.kind}: {f.outcome}")
            self.stdout.write(f"{len(fired)} deadline(s) fired.")
            sent = deliver_due(at or timezone.now())
            self.stdout.write(f"{sent} status feedback event(s) delivered.")
            stalled = fail_stalled(at or timezone.now())
            self.stdout.write(f"{stalled} export(s) failed: no heartbeat from their worker.")
            expired = expire_old(at or timezone.now())
            self.stdout.write(f"{expired} export file(s) expired.")
            return
        try:
            while True:
                close_old_connections()
                sweep(timezone.now())
                deliver_due(timezone.now())
                fail_stalled(timezone.now())
                expire_old(timezone.now())
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            return


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--at {text!r} is not an ISO 8601 date-time") from exc
    if value.tzinfo is None:
        value = timezone.make_aware(value)
    return value
