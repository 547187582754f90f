"""The reports (issue 7, F1-F3) over N enquiries on PostgreSQL (target at 1,000,000:
p95 < 1 s for each report with typical filters).

Run from the repository root (PostgreSQL at `--admin-url`):

    .venv/bin/python bench/reports.py [--enquiries 1000000] [--repeat 20] [--keep-db]
    .venv/bin/python bench/reports.py --reuse-db --keep-db     # measure a kept database again
    .venv/bin/python bench/reports.py --seed-only --keep-db    # build the database only

What it does, in order:

1. Creates `--db-name` (`lh_reports_bench`, dropped first) and seeds it with bench/list.py's
   seed (COPY: one brand, `--partners` partners, enquiries over three years, an accepted
   offer per partner-owned enquiry with its reaction time in working seconds and when it
   was worked further, and a rejected or expired offer before a fifth of them); then adds
   what only reports read: quote and order numbers and amounts, showroom appointments and
   the item lines of sample and brochure requests (40 catalogue items); VACUUM ANALYZE.
   `--reuse-db` only migrates (so new indexes get built) and measures.
2. For the brand's dispatcher (everything that came through the brand) and the manager of
   the biggest partner, requests each report page (Django's test client, in-process: view,
   queries, SVG and template; no HTTP server) with typical filters: this year compared
   with last year, a quarter, a month with a filter, quotes grouped by each dimension.
   p50/p95 over `--repeat` requests after one warm-up request.
3. Prints a markdown table, rewrites the generated block of docs/benchmarks.md (unless
   `--no-doc`) and drops the database (unless `--keep-db`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import signal
import statistics
import sys
import time
from dataclasses import dataclass
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
from list import BIG, BRAND, copy, machine_facts, populate

DOC = ROOT / "docs" / "benchmarks.md"
DOC_START = "<!-- bench/reports.py: results start (generated; edits here are overwritten) -->"
DOC_END = "<!-- bench/reports.py: results end -->"
TARGET_P95_MS = 1000.0
ROLES = {"brand dispatcher": "brand-dispatcher", "big partner manager": f"{BIG}-manager"}


def log(message: str) -> None:
    print(
        f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True
    )


# --------------------------------------------------------------------------- seeding


def enrich(db_url: str) -> dict[str, int]:
    """What only reports read, added to bench/list.py's data in a few statements."""
    from django.utils import timezone

    from leadhub.catalogue.models import CatalogueItem
    from leadhub.orgs.models import Organisation, OrgUnit

    brand = Organisation.objects.get(key=BRAND)
    now = timezone.now()
    CatalogueItem.objects.bulk_create(
        CatalogueItem(
            brand=brand,
            sku=f"{kind[0].upper()}{i:03d}",
            name=f"{kind.title()} {i}",
            kind=kind,
            updated_at=now,
        )
        for kind in ("sample", "brochure")
        for i in range(20)
    )
    items = {
        kind: list(
            CatalogueItem.objects.filter(brand=brand, kind=kind).values_list("pk", flat=True)
        )
        for kind in ("sample", "brochure")
    }
    showroom = (
        OrgUnit.objects.filter(organisation=brand).order_by("pk").values_list("pk", flat=True)[1]
    )
    rng = random.Random(13)
    with psycopg.connect(db_url) as conn:
        wanted = conn.execute(
            "SELECT id, type FROM enquiries_enquiry WHERE type IN ('sample', 'brochure')"
        ).fetchall()

        def lines() -> Any:
            for pk, kind in wanted:
                for item in rng.sample(items[kind], rng.choice((1, 1, 2, 3))):
                    yield (pk, item, rng.choice((1, 1, 1, 2, 5)))

        n_lines = copy(
            conn, "catalogue_enquiryitem", ["enquiry_id", "item_id", "quantity"], lines()
        )
        quoted = conn.execute(
            "UPDATE enquiries_enquiry SET quote_number = 'Q' || id, "
            "quote_amount = 1000 + (id * 37) % 20000 WHERE type = 'quote' AND status IN "
            "('quote_delivered', 'negotiation', 'quote_on_hold', 'ordered')"
        ).rowcount
        ordered = conn.execute(
            "UPDATE enquiries_enquiry SET order_number = 'O' || id, "
            "order_amount = 900 + (id * 37) % 18000 WHERE type = 'quote' AND status = 'ordered'"
        ).rowcount
        showrooms = conn.execute(
            "UPDATE enquiries_enquiry SET appointment_place = 'showroom', "
            "appointment_unit_id = %s, site_country = 'IT' WHERE id %% 20 = 0",
            [showroom],
        ).rowcount
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    return {"item lines": n_lines, "quoted": quoted, "ordered": ordered, "showroom": showrooms}


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    report: str
    label: str
    params: dict[str, str]


def cases(today: dt.date) -> list[Case]:
    year, month = str(today.year), f"{today:%Y-%m}"
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    y = {"granularity": "year", "period": year}
    out = [
        Case("overview", "year vs last year", {**y, "compare": "1"}),
        Case("overview", "quarter", {"granularity": "quarter", "period": quarter}),
        Case(
            "overview",
            "month, quotes via channel",
            {"granularity": "month", "period": month, "type": "quote", "origin": "external"},
        ),
        Case("overview", "year by processing date", {**y, "basis": "processed"}),
    ]
    for by in ("status", "channel", "country", "user", "unit", "tag", "showroom"):
        extra = {"compare": "1"} if by == "status" else {}
        out.append(
            Case(
                "quotes",
                f"year by {by}" + (" vs last year" if extra else ""),
                {**y, "by": by, **extra},
            )
        )
    out += [
        Case("samples", "year vs last year", {**y, "compare": "1"}),
        Case("brochures", "year", y),
        Case(
            "brochures",
            "quarter, country IT",
            {"granularity": "quarter", "period": quarter, "country": "IT"},
        ),
        Case("responsiveness", "year vs last year", {**y, "compare": "1"}),
        Case(
            "responsiveness",
            "quarter, quotes",
            {"granularity": "quarter", "period": quarter, "type": "quote"},
        ),
    ]
    return out


@dataclass
class Result:
    role: str
    report: str
    case: str
    p50_ms: float
    p95_ms: float
    samples: int
    statements: int


class Counter:
    """An execute wrapper that notes each statement (reset_queries empties Django's log at
    each request, so CaptureQueriesContext sees none through the test client)."""

    def __init__(self, into: list[str]) -> None:
        self.into = into

    def __call__(self, execute: Any, sql: str, *rest: Any) -> Any:
        self.into.append(sql)
        return execute(sql, *rest)


def measure(args: argparse.Namespace) -> list[Result]:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from leadhub.orgs.models import User

    today = timezone.localdate()
    results = []
    for role, username in ROLES.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for case in cases(today):
            if args.only and args.only not in f"{case.report} {case.label}":
                continue
            url = f"/reports/{case.report}/"
            statements: list[str] = []
            with connection.execute_wrapper(Counter(statements)):
                warm = client.get(url, case.params)  # warm-up; also counts statements
            assert warm.status_code == 200, (url, case.params, warm.status_code)
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get(url, case.params)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            results.append(
                Result(
                    role,
                    case.report,
                    case.label,
                    statistics.median(times),
                    p95,
                    len(times),
                    len(statements),
                )
            )
            log(
                f"{role:20} {case.report:15} {case.label:35} p50 {results[-1].p50_ms:7.1f} ms  p95 {p95:7.1f} ms"
            )
    return results


# --------------------------------------------------------------------------- output


def table(results: list[Result]) -> str:
    lines = [
        "| role | report | case | p50 ms | p95 ms | SQL statements | target p95 < 1 s |",
        "| --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        ok = "met" if r.p95_ms < TARGET_P95_MS else "**not met**"
        lines.append(
            f"| {r.role} | {r.report} | {r.case} | {r.p50_ms:.0f} | {r.p95_ms:.0f} | {r.statements} | {ok} |"
        )
    return "\n".join(lines)


def report(
    results: list[Result], args: argparse.Namespace, facts: dict[str, str], data: str
) -> str:
    worst = max(results, key=lambda r: r.p95_ms)
    return "\n".join(
        [
            DOC_START,
            "",
            f"Run of {facts.get('date', dt.date.today().isoformat())}: "
            f"`bench/reports.py {' '.join(sys.argv[1:])}`, code {facts.get('code', '?')}; "
            f"{facts.get('cpu', '')} {facts.get('other_load', '')}.",
            "",
            f"Data: {data}.",
            "",
            f"Slowest p95: {worst.p95_ms:.0f} ms ({worst.role}, {worst.report}, {worst.case}).",
            "",
            table(results),
            "",
            DOC_END,
        ]
    )


def update_doc(block: str) -> None:
    text = DOC.read_text()
    if DOC_START in text and DOC_END in text:
        before, rest = text.split(DOC_START, 1)
        _old, after = rest.split(DOC_END, 1)
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text)


def summary(db_url: str) -> str:
    with psycopg.connect(db_url) as conn:

        def count(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])  # type: ignore[index]

        return (
            f"{count('SELECT count(*) FROM enquiries_enquiry'):,} enquiries "
            f"({count('SELECT count(*) FROM enquiries_enquiry WHERE owner_id = origin_brand_id'):,} "
            f"held by the brand), {count('SELECT count(*) FROM routing_offer'):,} offers, "
            f"{count('SELECT count(*) FROM catalogue_enquiryitem'):,} item lines, "
            f"{count('SELECT count(*) FROM enquiries_enquiry WHERE order_amount IS NOT NULL'):,} orders with amounts"
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--enquiries", type=int, default=1_000_000)
    p.add_argument("--partners", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=20, help="measured requests per case")
    p.add_argument("--only", help="run the cases whose '<report> <case>' contains this")
    p.add_argument("--admin-url", default=DEFAULT_ADMIN_URL)
    p.add_argument("--db-name", default="lh_reports_bench")
    p.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    p.add_argument("--reuse-db", action="store_true", help="use a database kept by --keep-db")
    p.add_argument("--seed-only", action="store_true", help="create the database, measure nothing")
    p.add_argument("--no-doc", action="store_true", help=f"do not update {DOC.relative_to(ROOT)}")
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
    try:
        from django.core.management import call_command

        if args.reuse_db:
            call_command("migrate", interactive=False, verbosity=1)
        else:
            populate(db_url, args.partners, args.enquiries, refusals=True)
            started = time.monotonic()
            added = enrich(db_url)
            log(f"enriched in {time.monotonic() - started:.0f} s: {added}")
        data = summary(db_url)
        log(data)
        if args.seed_only:
            return 0
        before = busy_cores(2.0)
        results = measure(args)
        facts["other_load"] = f"{before:.2f} cores busy just before the run (other sessions)"
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            drop_database(args.admin_url, args.db_name)
            log(f"dropped database {args.db_name}")
    block = report(results, args, facts, data)
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
