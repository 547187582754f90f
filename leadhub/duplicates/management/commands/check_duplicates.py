"""leadhub check_duplicates [--loop] [--reindex]: run the waiting duplicate checks (D1)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from leadhub.duplicates.check import run_pending
from leadhub.duplicates.index import reindex_all, reindex_referrals


class Command(BaseCommand):
    help = "Run the waiting duplicate checks once, or keep doing so (--loop)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--loop", action="store_true", help="check every --interval seconds")
        parser.add_argument("--interval", type=float, default=2.0)
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="first rebuild the match keys of every contact and referral",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reindex"]:
            n = reindex_all()
            self.stdout.write(f"{n} contact(s) indexed.")
            n = reindex_referrals()
            self.stdout.write(f"{n} referral(s) indexed.")
        if not options["loop"]:
            self.stdout.write(f"{run_pending(limit=10**9)} check(s) run.")
            if not settings.DUPLICATE_CHECK:
                self.stdout.write("LEADHUB_DUPLICATE_CHECK is off: nothing new is queued.")
            return
        try:
            while True:
                close_old_connections()
                if run_pending(limit=500) < 500:  # a full batch: go on at once
                    time.sleep(options["interval"])
        except KeyboardInterrupt:
            return
