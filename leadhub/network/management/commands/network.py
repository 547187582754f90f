"""leadhub network load FILE | leadhub network dump [--format yaml|json]"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError

from leadhub.network.dump import dump_network
from leadhub.network.load import NetworkFileError, load_network, read_file


class Command(BaseCommand):
    help = "Load the network (organisations, units, users, zones, channels, rules) from a file, or dump it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="create or update the network from a YAML or JSON file")
        load.add_argument("file", type=Path)
        dump = sub.add_parser("dump", help="write the stored network to standard output")
        dump.add_argument("--format", choices=["yaml", "json"], default="yaml")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "dump":
            data = dump_network()
            if options["format"] == "json":
                self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            else:
                self.stdout.write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
            return
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            counts = load_network(read_file(path))
        except NetworkFileError as exc:
            lines = "\n".join(f"  {p}" for p in exc.problems)
            raise CommandError(
                f"{path} was not loaded ({len(exc.problems)} problem(s); nothing was changed):\n{lines}"
            ) from exc
        summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "nothing to do"
        self.stdout.write(f"Loaded {path}: {summary}.")
