"""leadhub search reindex [--batch N]: rebuild every enquiry's search document."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from leadhub.search.index import reindex


class Command(BaseCommand):
    help = "Search (E2): rebuild the search documents of all enquiries."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        again = sub.add_parser(
            "reindex", help="rebuild every search document, one transaction per batch"
        )
        again.add_argument("--batch", type=int, default=20_000, help="enquiries per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(done: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{done} enquiries indexed")

        done = reindex(batch=max(1, options["batch"]), progress=progress)
        self.stdout.write(
            f"{done} search document(s) rebuilt in {time.monotonic() - started:.1f} s."
        )
