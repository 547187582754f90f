"""The file drop (A7): import one file, or every new file of a folder, moving each to
done/ or failed/ (with a .errors.txt beside it) so that the next run skips it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from leadhub.intake.models import Channel
from leadhub.lib.tabular import TableError

from .actions import ImportResult, import_quotes
from .parse import parse_quotes

SUFFIXES = (".csv", ".json", ".txt")
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    result: ImportResult | None
    errors: list[str]


def import_file(path: Path, channel: Channel, *, default_currency: str) -> FileOutcome:
    """All rows of the file or none; errors are listed by line (CSV) or item (JSON)."""
    if path.stat().st_size > MAX_BYTES:
        return FileOutcome(path, None, [f"file: larger than {MAX_BYTES // 1024 // 1024} MB"])
    try:
        records = parse_quotes(
            path.read_bytes(), filename=path.name, default_currency=default_currency
        )
        result = import_quotes(
            channel.brand,
            records,
            source=f"file {path.name}"[:200],
            now=timezone.now(),
            channel=channel,
        )
    except TableError as exc:
        return FileOutcome(path, None, [str(e) for e in exc.errors])
    return FileOutcome(path, result, [])


def new_files(folder: Path) -> list[Path]:
    """Files waiting in the folder. Senders write under another name (.tmp, .part, or a
    leading dot) and rename when done, so a half-written file is never read."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SUFFIXES
    )


def import_folder(folder: Path, channel: Channel, *, default_currency: str) -> list[FileOutcome]:
    outcomes = []
    for path in new_files(folder):
        outcome = import_file(path, channel, default_currency=default_currency)
        target = _free_name(folder / ("failed" if outcome.errors else "done"), path.name)
        shutil.move(path, target)
        if outcome.errors:
            target.with_name(target.name + ".errors.txt").write_text(
                "\n".join(outcome.errors) + "\n", encoding="utf-8"
            )
        outcomes.append(FileOutcome(target, outcome.result, outcome.errors))
    return outcomes


def _free_name(folder: Path, name: str) -> Path:
    """folder/name, or folder/name with a time stamp when a file of that name is there."""
    folder.mkdir(exist_ok=True)
    target = folder / name
    if target.exists():
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{Path(name).stem}.{stamp}{Path(name).suffix}"
    return target
