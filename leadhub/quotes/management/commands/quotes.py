"""leadhub quotes import FILE|DIR --channel KEY [--currency EUR]"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from leadhub.intake.models import Channel, ChannelKind
from leadhub.quotes.files import FileOutcome, import_file, import_folder


class Command(BaseCommand):
    help = "Import quotes and orders from an ERP's CSV or JSON file, or from a drop folder."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import",
            help="import FILE, or every new file in DIR (moved to DIR/done or DIR/failed)",
        )
        load.add_argument("path", type=Path)
        load.add_argument(
            "--channel",
            required=True,
            help="the ERP channel (kind erp) whose organisation's enquiries the file touches",
        )
        load.add_argument("--currency", default="EUR", help="for rows without a currency")

    def handle(self, *args: Any, **options: Any) -> None:
        channel = (
            Channel.objects.select_related("brand")
            .filter(key=options["channel"], kind=ChannelKind.ERP)
            .first()
        )
        if channel is None:
            raise CommandError(f"{options['channel']}: no ERP channel of that key")
        path: Path = options["path"]
        currency = options["currency"].upper()
        if path.is_dir():
            outcomes = import_folder(path, channel, default_currency=currency)
            if not outcomes:
                self.stdout.write(f"{path}: no new files.")
        elif path.is_file():
            outcomes = [import_file(path, channel, default_currency=currency)]
        else:
            raise CommandError(f"{path}: no such file or folder")
        failed = [o for o in outcomes if o.errors]
        for o in outcomes:
            self.stdout.write(_line(o))
        if failed:
            raise CommandError(f"{len(failed)} file(s) not imported; nothing of them was changed.")


def _line(o: FileOutcome) -> str:
    if o.result is not None:
        return f"{o.path.name}: {o.result.summary()}."
    listed = "\n".join(f"  {e}" for e in o.errors)
    return f"{o.path.name}: not imported ({len(o.errors)} problem(s)):\n{listed}"
