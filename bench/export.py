"""Exports of the enquiry list (issue 7, F4) on PostgreSQL: 100,000 rows to xlsx and CSV
(target: xlsx < 20 s with memory flat).

Run from the repository root (PostgreSQL at `--admin-url`):

    .venv/bin/python bench/export.py [--enquiries 100000] [--runs 3] [--keep-db]
    .venv/bin/python bench/export.py --reuse-db --keep-db      # measure a kept database again

What it does, in order:

1. Creates `--db-name` (`lh_exports_bench`, dropped first) and seeds it with bench/list.py's
   seed (COPY: one brand, `--partners` partners, the enquiries over three years with their
   contacts, history, offers, tags); then gives a third of the brand's enquiries quote
   numbers and amounts and a tenth a showroom appointment, and a fifth of the contacts a
   second e-mail and phone row (so the per-batch reads have something to read).
2. As the brand's dispatcher (who sees every enquiry that came through the brand: all of
   them), exports the whole list, open and done, newest first, through the task's own code
   (`exports.actions.run`: claim, count, write in batches with progress saved after each,
   rename), `--runs` times per format. VmRSS of the process (/proc/self/status) is sampled
   every 5,000 rows.
3. Prints a markdown block (medians, RSS at 5,000 rows and at the end) and writes it into
   docs/benchmarks.md's "Exports (issue 7)" section (unless `--no-doc`); drops the
   database unless `--keep-db`.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake import (
    DEFAULT_ADMIN_URL,
    ROOT,
    busy_cores,
    database_url,
    describe_source,
    drop_database,
    recreate_database,
    setup_django,
)
from list import BRAND, copy, machine_facts, populate

DOC = ROOT / "docs" / "benchmarks.md"
DOC_START = "<!-- bench/export.py: results start (generated; edits here are overwritten) -->"
DOC_END = "<!-- bench/export.py: results end -->"
TARGET_S = 20.0
SAMPLE_EVERY = 5_000


def log(message: str) -> None:
    print(
        f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True
    )


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def enrich(db_url: str) -> None:
    """Values, appointments and extra e-mail/phone rows on bench/list.py's data."""
    from leadhub.orgs.models import OrgUnit

    showroom = OrgUnit.objects.filter(organisation__key=BRAND).order_by("pk").first()
    with psycopg.connect(db_url) as conn:
        conn.execute(
            "UPDATE enquiries_enquiry SET quote_number = 'Q' || id, "
            "quote_amount = 1000 + (id * 37) % 20000 WHERE id % 3 = 0"
        )
        conn.execute(
            "UPDATE enquiries_enquiry SET appointment_place = 'showroom', "
            "appointment_unit_id = %s, appointment_at = created_at + interval '3 days' "
            "WHERE id %% 10 = 1",
            [showroom.pk if showroom else None],
        )
        contacts = conn.execute(
            "SELECT id, email, phone FROM contacts_contact WHERE id % 5 = 0"
        ).fetchall()
        copy(
            conn,
            "contacts_contactemail",
            ["contact_id", "email", "label", "position"],
            (
                row
                for pk, email, _phone in contacts
                for row in (
                    (pk, email or f"c{pk}@example.com", "work", 0),
                    (pk, f"c{pk}.private@example.com", "private", 1),
                )
            ),
        )
        copy(
            conn,
            "contacts_contactphone",
            ["contact_id", "phone", "label", "position"],
            (
                row
                for pk, _email, phone in contacts
                for row in (
                    (pk, phone or "+390471000000", "work", 0),
                    (pk, f"+39333{pk % 10_000_000:07d}", "mobile", 1),
                )
            ),
        )
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")


@dataclass
class Run:
    fmt: str
    seconds: float
    rows: int
    size_mb: float
    rss: list[tuple[int, float]] = field(default_factory=list)  # (rows written, MiB)


def one_run(fmt: str) -> Run:
    from django.utils import translation

    from leadhub.enquiries.listing import ListFilters
    from leadhub.exports import actions
    from leadhub.exports.models import Export
    from leadhub.exports.source import Spec
    from leadhub.orgs.models import User

    user = User.objects.select_related("organisation").get(username="brand-dispatcher")
    spec = Spec(filters=ListFilters(done=None), sort="-created", offers_first=False)
    with translation.override("en"):
        export, _ = actions.start_export(user, spec, fmt=fmt, language="en")
    samples: list[tuple[int, float]] = []
    real = actions.write_rows  # type: ignore[attr-defined]

    def sampled(*args: Any, **kw: Any) -> int:
        report = kw["progress"]

        def progress(n: int) -> None:
            report(n)
            if n // SAMPLE_EVERY > (samples[-1][0] // SAMPLE_EVERY if samples else 0):
                samples.append((n, rss_mib()))

        return real(*args, **kw | {"progress": progress})

    actions.write_rows = sampled  # type: ignore[attr-defined]
    try:
        started = time.perf_counter()
        outcome = actions.run(export.pk)
        seconds = time.perf_counter() - started
    finally:
        actions.write_rows = real  # type: ignore[attr-defined]
    export.refresh_from_db()
    if export.status != "done":
        raise RuntimeError(f"export {export.pk}: {outcome}")
    path = actions.root() / export.file_path
    size = path.stat().st_size / 1e6
    path.unlink()
    Export.objects.filter(pk=export.pk).delete()
    return Run(fmt, seconds, export.rows_done, size, samples)


def report(runs: list[Run], facts: dict[str, str], args: argparse.Namespace) -> str:
    lines = [
        DOC_START,
        "",
        f"Run of {facts.get('date', '?')}: `bench/export.py --enquiries {args.enquiries} "
        f"--runs {args.runs}`, code {facts['code']}; {facts.get('cpu', '?')}, "
        f"{facts.get('cores', '?')} cores; load average before: {facts['loadavg']} "
        f"({facts['other_load']}).",
        "",
        "| format | rows | median s | runs (s) | rows/s | file MB | RSS at 5,000 rows MiB | "
        "RSS at the end MiB | growth MiB | target |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for fmt in ("xlsx", "csv"):
        mine = [r for r in runs if r.fmt == fmt]
        if not mine:
            continue
        med = statistics.median(r.seconds for r in mine)
        last = mine[-1]
        first_rss, end_rss = last.rss[0][1], last.rss[-1][1]
        target = ("met" if med < TARGET_S else "NOT met") if fmt == "xlsx" else "—"
        lines.append(
            f"| {fmt} | {last.rows:,} | {med:.1f} | "
            f"{', '.join(f'{r.seconds:.1f}' for r in mine)} | {last.rows / med:,.0f} | "
            f"{last.size_mb:.1f} | {first_rss:.0f} | {end_rss:.0f} | {end_rss - first_rss:+.1f} | "
            f"{target} |"
        )
    lines.append("")
    for fmt in ("xlsx", "csv"):
        mine = [r for r in runs if r.fmt == fmt]
        if mine:
            samples = ", ".join(f"{n // 1000}k {mb:.0f}" for n, mb in mine[-1].rss)
            lines.append(f"RSS samples, last {fmt} run (rows: MiB): {samples}.")
            lines.append("")
    lines.append(DOC_END)
    return "\n".join(lines)


def update_doc(block: str) -> None:
    text = DOC.read_text()
    if DOC_START in text and DOC_END in text:
        before, rest = text.split(DOC_START, 1)
        _old, after = rest.split(DOC_END, 1)
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--admin-url", default=DEFAULT_ADMIN_URL)
    p.add_argument("--db-name", default="lh_exports_bench")
    p.add_argument("--enquiries", type=int, default=100_000)
    p.add_argument("--partners", type=int, default=100)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--formats", default="xlsx,csv")
    p.add_argument("--reuse-db", action="store_true")
    p.add_argument("--keep-db", action="store_true")
    p.add_argument("--no-doc", action="store_true")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db_url = database_url(args.admin_url, args.db_name)
    facts = machine_facts(args.admin_url)
    facts["code"] = describe_source(ROOT)
    if not args.reuse_db:
        log(f"creating database {args.db_name}")
        recreate_database(args.admin_url, args.db_name)
    setup_django(db_url, ROOT)
    os.environ.setdefault("LEADHUB_EXPORT_ROOT", str(ROOT / "var" / "bench-exports"))
    runs: list[Run] = []
    try:
        from django.conf import settings
        from django.core.management import call_command

        settings.EXPORT_ROOT = Path(os.environ["LEADHUB_EXPORT_ROOT"])
        if args.reuse_db:
            call_command("migrate", interactive=False, verbosity=0)
        else:
            populate(db_url, args.partners, args.enquiries)
        from leadhub.contacts.models import ContactEmail

        if not ContactEmail.objects.exists():  # a kept database from an interrupted run too
            enrich(db_url)
            log("enriched: values, appointments, e-mail and phone rows")
        facts["loadavg"] = Path("/proc/loadavg").read_text().strip()
        facts["other_load"] = f"{busy_cores(2.0):.2f} cores busy just before"
        log(f"load average {facts['loadavg']}; {facts['other_load']}")
        for i in range(args.runs):
            for fmt in args.formats.split(","):
                run = one_run(fmt)
                runs.append(run)
                log(
                    f"run {i + 1} {fmt}: {run.rows:,} rows in {run.seconds:.1f} s, "
                    f"{run.size_mb:.1f} MB, RSS {run.rss[0][1]:.0f} -> {run.rss[-1][1]:.0f} MiB"
                )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            drop_database(args.admin_url, args.db_name)
            log(f"dropped database {args.db_name}")
    block = report(runs, facts, args)
    print(block)
    if not args.no_doc:
        update_doc(block)
        log(f"updated {DOC.relative_to(ROOT)}")
    return 0


def stop_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, stop_on_signal)
    signal.signal(signal.SIGTERM, stop_on_signal)
    sys.exit(main())
