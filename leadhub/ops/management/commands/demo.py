"""leadhub demo: (re)create the demo world and its sample enquiries; safe to run again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from leadhub.network.load import load_network, read_file
from leadhub.ops.demo.enquiries import deliver_samples, play_handoffs

DEMO_NETWORK = Path(__file__).resolve().parents[2] / "demo" / "network.yaml"


class Command(BaseCommand):
    help = "Load the demo network and deliver the sample enquiries (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_network(read_file(DEMO_NETWORK))
        self.stdout.write(
            "Demo network: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        )
        created, existing = deliver_samples()
        self.stdout.write(f"Sample enquiries: {created} created, {existing} already there.")
        if created:
            for line in play_handoffs():
                self.stdout.write(f"Demo hand-off: {line}.")
        self.stdout.write("Log in at http://127.0.0.1:8000/ — see README.md for the demo logins.")
