"""Where an intake request spends its time, in-process (companion of bench/intake.py).

Needs a database left by `bench/intake.py --keep-db`; runs no server:

    .venv/bin/python bench/intake.py --duration 1 --repeat 1 --no-doc --keep-db
    .venv/bin/python bench/intake_profile.py [--requests 300] [--db-name leadhub_bench]
                                             [--source DIR]

Prints, for intake requests made one after the other through Django's test client:
the SQL statements of one request; the CPU time of a request, in this process and in its
PostgreSQL backend (read from /proc: the server must run on this machine), which unlike wall
time barely moves when other work shares the machine; the mean wall time of a request split into time spent
inside SQL statements and the rest (Python); the mean time the enquiry-number row lock is
held (from the `enquiries_dailycounter` upsert to the end of the commit), which bounds
throughput at 1 / that time whatever the number of workers; and a cProfile summary.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake import (
    CHANNEL,
    DEFAULT_ADMIN_URL,
    ROOT,
    TOKEN,
    database_url,
    sample_payload,
    setup_django,
)

# (label, (file name, function)) of the intake path, outermost first.
COMPONENTS = [
    ("whole request through the test client", ("intake_profile.py", "post")),
    ("  view: leadhub.api.intake.deliver", ("intake.py", "deliver")),
    ("    authenticated_channel (SELECT channel + brand)", ("intake.py", "authenticated_channel")),
    ("    webhook parse (json, pydantic, e-mail, phone)", ("parse.py", "parse")),
    ("      normalise_email", ("identifiers.py", "normalise_email")),
    ("      normalise_phone", ("identifiers.py", "normalise_phone")),
    ("    ingest", ("ingest.py", "ingest")),
    ("      _receipt (idempotency lookup)", ("ingest.py", "_receipt")),
    (
        "      receive_enquiry (contact, number, enquiry, history)",
        ("actions.py", "receive_enquiry"),
    ),
    ("        next_number", ("numbers.py", "next_number")),
    ("      route", ("actions.py", "route")),
    ("        _locked (SELECT ... FOR UPDATE)", ("actions.py", "_locked")),
    ("        brand_of", ("actions.py", "brand_of")),
    ("        compiled_rules", ("compiled.py", "compiled_rules")),
    ("        CompiledRules.decide", ("match.py", "decide")),
    ("        candidates_for", ("candidates.py", "candidates_for")),
    ("          open_load", ("candidates.py", "open_load")),
    ("        choose", ("pools.py", "choose")),
    ("        _offer (deadline, offer, enquiry update)", ("actions.py", "_offer")),
    ("        _dispatcher", ("actions.py", "_dispatcher")),
    ("        record (history entries, both)", ("history.py", "record")),
    ("      _answer", ("ingest.py", "_answer")),
]


def cumulative(stats: pstats.Stats) -> dict[tuple[str, str], float]:
    """Cumulative seconds by (file name, function), over the functions of COMPONENTS."""
    wanted = {key for _, key in COMPONENTS}
    out: dict[tuple[str, str], float] = defaultdict(float)
    raw: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    for (filename, _line, function), (_cc, _nc, _tt, ct, _callers) in raw.items():
        key = (Path(filename).name, function)
        if key in wanted:
            out[key] += ct
    return out


def statement_kind(sql: str) -> str:
    """SELECT ... FROM "table" / INSERT INTO "table" / UPDATE "table", with a hint for SELECTs."""
    words = sql.split()
    head = words[0].upper() if words else "?"
    tables = re.findall(r'(?:FROM|INTO|UPDATE|JOIN) "?(\w+)"?', sql)
    table = tables[0] if tables else ""
    hint = ""
    if head == "SELECT":
        if "COUNT(" in sql:
            hint = " count"
        elif "MAX(" in sql:
            hint = " max"
        elif "FOR UPDATE" in sql:
            hint = " for update"
    return f"{head} {table}{hint}".strip()


def backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) the PostgreSQL backend `pid` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def patch(module: ModuleType, name: str, value: Any) -> Any:
    """Replace a module global for the measurement; returns what was there."""
    old = getattr(module, name)
    setattr(module, name, value)
    return old


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--requests", type=int, default=300)
    p.add_argument("--admin-url", default=DEFAULT_ADMIN_URL)
    p.add_argument("--db-name", default="leadhub_bench")
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--source", type=Path, default=ROOT, help="the checkout to profile")
    args = p.parse_args()
    setup_django(database_url(args.admin_url, args.db_name), args.source.resolve())
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import leadhub.enquiries.numbers as numbers
    import leadhub.intake.ingest as ingest_module

    client = Client()
    url = f"/api/v1/intake/{CHANNEL}/enquiries"
    serial = f"p{time.time_ns():x}"
    counter = 0

    def post() -> None:
        nonlocal counter
        counter += 1
        key = f"{serial}-{counter}"
        lead = sample_payload(key)
        # Postal codes all over Italy, as bench/intake.py sends: many rules, not one.
        lead["contact"]["address"]["postal_code"] = f"{counter * 7919 % 100000:05d}"
        body = json.dumps(lead).encode()
        headers = {"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": key}
        response = client.post(url, body, content_type="application/json", headers=headers)
        assert response.status_code == 201, response.content

    for _ in range(20):  # imports, caches, the connection
        post()

    with CaptureQueriesContext(connection) as captured:
        post()
    print(f"SQL statements in one request: {len(captured.captured_queries)}")
    for q in captured.captured_queries:
        print(f"  {q['time']:>6} s  {q['sql'][:110]}")

    # CPU per request: this process (Django, psycopg) and its backend (PostgreSQL).
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    cpu_runs: list[tuple[float, float]] = []
    for _ in range(3):
        python_started, backend_started = time.process_time(), backend_cpu(pid)
        for _ in range(args.requests):
            post()
        cpu_runs.append(
            (
                (time.process_time() - python_started) / args.requests,
                (backend_cpu(pid) - backend_started) / args.requests,
            )
        )
    print(f"\nCPU per request ({args.requests} sequential requests, 3 runs):")
    for label, values in (
        ("Python (Django, psycopg)", [py for py, _ in cpu_runs]),
        ("PostgreSQL backend", [pg for _, pg in cpu_runs]),
        ("both", [py + pg for py, pg in cpu_runs]),
    ):
        runs = ", ".join(f"{v * 1e3:.2f}" for v in values)
        print(f"  {label:26} median {statistics.median(values) * 1e3:5.2f} ms  (runs: {runs})")

    # Wall time, split into SQL and the rest, and how long the number's row lock is held.
    sql_time = 0.0
    by_statement: dict[str, list[float]] = defaultdict(list)

    def timed(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        nonlocal sql_time
        started = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            spent = time.perf_counter() - started
            sql_time += spent
            by_statement[statement_kind(sql)].append(spent)

    lock_taken: list[float] = []
    lock_held: list[float] = []
    import leadhub.api.intake as api_intake

    real: dict[str, Any] = {}
    # Since decision 0051 the number is allocated in a transaction of its own before the
    # delivery's (the lock is held for that call); before, it was given last and the lock
    # held until the delivery committed (`--source` of an older tree).
    own_transaction = hasattr(numbers, "allocate_number")
    where, name = (
        (ingest_module, "allocate_number") if own_transaction else (numbers, "next_number")
    )

    def allocate(at: Any) -> Any:
        lock_taken.append(time.perf_counter())
        try:
            return real[name](at)
        finally:
            if own_transaction:
                lock_held.append(time.perf_counter() - lock_taken[-1])

    def ingest(*a: Any, **kw: Any) -> Any:
        result = real["ingest"](*a, **kw)
        if not own_transaction:
            lock_held.append(time.perf_counter() - lock_taken[-1])
        return result

    real[name] = patch(where, name, allocate)
    real["ingest"] = patch(api_intake, "ingest", ingest)
    walls: list[float] = []
    sqls: list[float] = []
    with connection.execute_wrapper(timed):
        for _ in range(args.requests):
            sql_time = 0.0
            started = time.perf_counter()
            post()
            walls.append(time.perf_counter() - started)
            sqls.append(sql_time)
    patch(where, name, real[name])
    patch(api_intake, "ingest", real["ingest"])

    def ms(values: list[float]) -> str:
        return (
            f"{statistics.mean(values) * 1e3:.2f} ms (median {statistics.median(values) * 1e3:.2f})"
        )

    print(f"\n{args.requests} sequential requests:")
    print(f"  wall per request:              {ms(walls)}")
    print(f"  in SQL statements (client):    {ms(sqls)}")
    print(
        f"  Python (wall - SQL):           {ms([w - s for w, s in zip(walls, sqls, strict=True)])}"
    )
    print(f"  number row lock held:          {ms(lock_held)}")
    print(f"  => at most {1 / statistics.mean(lock_held):,.0f} enquiries/s with no CPU contention")
    print("\nSQL statements by kind (client-side time incl. the round trip, per request):")
    for kind, times in sorted(by_statement.items(), key=lambda kv: -sum(kv[1])):
        per_request = sum(times) / args.requests * 1e3
        print(f"  {per_request:6.2f} ms  {len(times) / args.requests:4.1f} x  {kind}")

    profiler = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared
    profiler.enable()
    for _ in range(args.requests):
        post()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    print(f"\nWhere the CPU goes (cProfile, cumulative, share of {args.requests} requests):")
    totals = cumulative(stats)
    whole = totals.get(("intake_profile.py", "post"), 0.0) or 1.0
    for label, key in COMPONENTS:
        if key in totals:
            share = totals[key] / whole
            print(f"  {share:6.1%}  {totals[key] / args.requests * 1e3:6.2f} ms  {label}")
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
