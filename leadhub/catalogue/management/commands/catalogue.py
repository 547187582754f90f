"""leadhub catalogue import FILE --brand KEY [--full]"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from leadhub.catalogue.actions import import_catalogue
from leadhub.catalogue.parse import parse_catalogue
from leadhub.lib.tabular import TableError
from leadhub.orgs.models import Organisation, OrgKind


class Command(BaseCommand):
    help = "Import a brand's catalogue of samples and brochures from a CSV or JSON file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="create or update items from FILE (by SKU)")
        load.add_argument("file", type=Path)
        load.add_argument("--brand", required=True, help="the brand's key")
        load.add_argument(
            "--full",
            action="store_true",
            help="the file is the whole catalogue: withdraw the brand's items not in it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        brand = Organisation.objects.filter(key=options["brand"], kind=OrgKind.BRAND).first()
        if brand is None:
            raise CommandError(f"{options['brand']}: no brand of that key")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            records = parse_catalogue(path.read_bytes(), filename=path.name)
        except TableError as exc:
            listed = "\n".join(f"  {e}" for e in exc.errors)
            raise CommandError(
                f"{path} was not imported ({len(exc.errors)} problem(s); nothing was changed):"
                f"\n{listed}"
            ) from exc
        counts = import_catalogue(brand, records, full=options["full"])
        done = ", ".join(f"{counts[k]} {k}" for k in ("created", "updated", "unchanged"))
        if options["full"]:
            done += f", {counts['withdrawn']} withdrawn"
        self.stdout.write(f"{path.name}: {done}.")
