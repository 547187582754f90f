"""The duplicate check (D1, issue 6) with 1,000,000 contacts and 1,000,000 enquiries on
PostgreSQL (target: p99 < 20 ms per incoming enquiry).

Run from the repository root (PostgreSQL at `--admin-url`):

    .venv/bin/python bench/duplicates.py [--enquiries 1000000] [--probes 1000] [--keep-db]
    .venv/bin/python bench/duplicates.py --reuse-db --keep-db      # measure again
    .venv/bin/python bench/duplicates.py --enquiries 20000 --probes 200 --no-doc \\
        --db-name leadhub_bench_dup_small                         # a quick check

What it does, in order:

1. Creates `--db-name` (`leadhub_bench_dup`, dropped first) and seeds it like
   bench/search.py (bench/list.py's network and COPY seeding, one contact per enquiry).
   That seed has 9 postal codes and 1,440 names; so that the fuzzy path meets realistic
   data, one UPDATE gives every contact one of 8,000 postal codes and one of 8,000
   generated surnames (three syllables).
2. Writes every contact's match keys (ContactKey, ContactName) by COPY, computed with
   leadhub.duplicates.keys (the same functions the worker uses), then VACUUM ANALYZE.
3. Makes `--probes` incoming enquiries of the brand (contact + enquiry + pending check, as
   intake leaves them), a quarter each: the same e-mail as an existing brand contact (upper
   case), the same phone, the same first name and postal code with a typo in the surname,
   and a new person (no hit).
4. Runs the worker's step (`check._run_one`: claim, refresh keys, find, store, done) for each,
   timing each; prints p50/p95/p99 per kind and overall, how many found their source,
   and rewrites the generated block of docs/benchmarks.md (unless `--no-doc`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import signal
import statistics
import sys
import time
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
from list import BRAND, log, machine_facts, populate

DOC = ROOT / "docs" / "benchmarks.md"
DOC_START = "<!-- bench/duplicates.py: results start (generated; edits here are overwritten) -->"
DOC_END = "<!-- bench/duplicates.py: results end -->"
TARGET_P99_MS = 20.0
SYLLABLES = [
    "ber", "mor", "tin", "gal", "ric", "zan", "fel", "lon", "dor", "pas",
    "vel", "cor", "min", "sal", "ter", "bon", "lup", "ner", "gio", "vas",
]  # fmt: skip
KINDS = ("email", "phone", "fuzzy", "none")


def diversify(db_url: str) -> None:
    """8,000 postal codes and 8,000 surnames instead of the seed's 9 and 40."""
    s = "(ARRAY[" + ",".join(f"'{x}'" for x in SYLLABLES) + "])"
    with psycopg.connect(db_url) as conn:
        conn.execute(
            "UPDATE contacts_contact SET "
            "postal_code = (10000 + (id * 7919) % 8000)::text, "
            f"last_name = initcap({s}[1 + (id * 31) % 20] || {s}[1 + (id / 20 * 17) % 20]"
            f" || {s}[1 + (id / 400 * 13) % 20])"
        )


def write_keys(db_url: str) -> dict[str, int]:
    """Every contact's keys by COPY, computed with the worker's own functions."""
    from leadhub.duplicates.keys import email_key, name_key, postal_key

    keys = names = 0
    # One connection per stream: a connection in COPY cannot fetch from a cursor meanwhile.
    with (
        psycopg.connect(db_url) as source,
        psycopg.connect(db_url) as key_conn,
        psycopg.connect(db_url) as name_conn,
    ):
        key_conn.execute("TRUNCATE duplicates_contactkey, duplicates_contactname")
        key_conn.commit()
        with (
            source.cursor(name="contacts") as read,
            key_conn.cursor() as w1,
            name_conn.cursor() as w2,
            w1.copy("COPY duplicates_contactkey (contact_id, kind, value) FROM STDIN") as k,
            w2.copy("COPY duplicates_contactname (contact_id, name, postal_code) FROM STDIN") as n,
        ):
            read.itersize = 20000
            read.execute(
                "SELECT id, email, phone, national_id, first_name, last_name, postal_code "
                "FROM contacts_contact ORDER BY id"
            )
            for cid, email, phone, nid, first, last, postal in read:
                if email:
                    k.write_row((cid, "email", email_key(email)))
                    keys += 1
                if phone:
                    k.write_row((cid, "phone", phone))
                    keys += 1
                if nid:
                    k.write_row((cid, "national_id", nid))
                    keys += 1
                name = name_key(first, last)
                if name:
                    n.write_row((cid, name, postal_key(postal)))
                    names += 1
        key_conn.commit()
        name_conn.commit()
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE duplicates_contactkey")
        conn.execute("VACUUM ANALYZE duplicates_contactname")
        conn.execute("VACUUM ANALYZE contacts_contact")
    return {"keys": keys, "names": names}


def typo(rng: random.Random, word: str) -> str:
    i = rng.randint(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def make_probes(n: int, seed: int = 11) -> list[tuple[str, int, int]]:
    """(kind, enquiry id, source contact id or 0), created as intake leaves them."""
    from django.db import transaction
    from django.utils import timezone

    from leadhub.contacts.models import Contact
    from leadhub.duplicates.models import PendingCheck
    from leadhub.enquiries.models import Enquiry
    from leadhub.orgs.models import Organisation

    # Other sources on a --reuse-db run, so that earlier probes are not duplicates found.
    first = Enquiry.objects.filter(number__startswith="999999/").count()
    rng = random.Random(seed + first)
    brand = Organisation.objects.get(key=BRAND)
    top = Contact.objects.filter(owner=brand).order_by("-id").values_list("id", flat=True)[0]
    sources: list[Contact] = []
    while len(sources) < n:
        ids = [rng.randint(1, top) for _ in range(n * 3)]
        sources += list(
            Contact.objects.filter(owner=brand, pk__in=ids).exclude(email="").exclude(phone="")
        )
    now = timezone.now()
    probes: list[tuple[str, Contact, int]] = []
    for i, src in enumerate(sources[:n]):
        kind = KINDS[i % 4]
        c = Contact(owner=brand, country=src.country, city=src.city, language=src.language)
        if kind == "email":
            c.first_name, c.last_name, c.postal_code = src.first_name, src.last_name, ""
            c.email = src.email.upper()
        elif kind == "phone":
            c.first_name, c.last_name, c.phone = src.first_name, src.last_name, src.phone
        elif kind == "fuzzy":
            c.first_name, c.last_name = src.first_name, typo(rng, src.last_name)
            c.postal_code, c.street = src.postal_code, src.street
            c.email = f"probe{first + i}@new.example"
        else:
            c.first_name = "".join(rng.choice("bcdfgklmnprstvz") for _ in range(6)).title()
            c.last_name = "".join(rng.choice("aeiouxyzqwj") for _ in range(8)).title()
            c.postal_code, c.email = f"9{first + i:05d}", f"nobody{first + i}@new.example"
        probes.append((kind, c, src.pk if kind != "none" else 0))
    with transaction.atomic():
        Contact.objects.bulk_create([c for _, c, _ in probes])
        enquiries = Enquiry.objects.bulk_create(
            Enquiry(
                number=f"999999/{first + i:06d}",
                created_at=now,
                updated_at=now,
                type="quote",
                owner=brand,
                origin_brand=brand,
                contact=c,
            )
            for i, (_, c, _) in enumerate(probes)
        )
        PendingCheck.objects.bulk_create(
            PendingCheck(enquiry=e, organisation=brand, occasion="intake") for e in enquiries
        )
    return [(k, e.pk, src) for (k, _, src), e in zip(probes, enquiries, strict=True)]


def measure(probes: list[tuple[str, int, int]]) -> dict[str, Any]:
    from django.db import connection

    from leadhub.duplicates.check import _run_one
    from leadhub.duplicates.models import Candidate

    connection.ensure_connection()
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    for kind, _, _ in probes:  # the worker takes them oldest first: the probes' order
        started = time.perf_counter()
        assert _run_one()
        times[kind].append((time.perf_counter() - started) * 1000)
    found: dict[str, int] = dict.fromkeys(KINDS, 0)
    extra: dict[str, int] = dict.fromkeys(KINDS, 0)
    for kind, enquiry, source in probes:
        got = set(Candidate.objects.filter(enquiry_id=enquiry).values_list("contact_id", flat=True))
        found[kind] += source in got
        extra[kind] += len(got - {source})
    return {"times": times, "found": found, "extra": extra}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(result: dict[str, Any], facts: dict[str, str], data: dict[str, Any]) -> str:
    times: dict[str, list[float]] = result["times"]
    every = [t for ts in times.values() for t in ts]
    lines = [
        DOC_START,
        "",
        f"Machine: {facts.get('cores', '?')} cores ({facts.get('cpu', '?')}), "
        f"{facts.get('ram', '?')} RAM; PostgreSQL {facts.get('postgres', '?')}; "
        f"{facts.get('date', '?')}. "
        f"Code: {facts.get('code', '?')}. {facts.get('other_load', '')}. "
        f"Load before the run (/proc/loadavg): {facts.get('loadavg', '?')}.",
        "",
        f"Data: {data.get('summary', '?')}; {data.get('keys', {})} match keys. "
        f"{len(every)} incoming enquiries checked one after the other, in-process (the "
        "worker's step: claim the pending row, refresh the contact's keys, find, store, done).",
        "",
        "| probes | n | p50 ms | p95 ms | p99 ms | max ms | found their source | other candidates |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in KINDS:
        ts = times[kind]
        if not ts:
            continue
        lines.append(
            f"| {kind} | {len(ts)} | {pct(ts, 50):.1f} | {pct(ts, 95):.1f} | {pct(ts, 99):.1f} "
            f"| {max(ts):.1f} | {result['found'][kind] if kind != 'none' else '-'} "
            f"| {result['extra'][kind]} |"
        )
    p99 = pct(every, 99)
    lines += [
        f"| **all** | {len(every)} | {pct(every, 50):.1f} | {pct(every, 95):.1f} | "
        f"**{p99:.1f}** | {max(every):.1f} | | |",
        "",
        f"Target p99 < {TARGET_P99_MS:.0f} ms: {'met' if p99 < TARGET_P99_MS else 'NOT met'} "
        f"(mean {statistics.mean(every):.1f} ms).",
        "",
        DOC_END,
    ]
    return "\n".join(lines)


def update_doc(block: str) -> None:
    text = DOC.read_text()
    if DOC_START in text:
        head, rest = text.split(DOC_START, 1)
        text = head + block + rest.split(DOC_END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## Duplicate check (issue 6)\n\n" + block + "\n"
    DOC.write_text(text)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--enquiries", type=int, default=1_000_000)
    p.add_argument("--partners", type=int, default=1000)
    p.add_argument("--probes", type=int, default=1000)
    p.add_argument("--admin-url", default=DEFAULT_ADMIN_URL)
    p.add_argument("--db-name", default="leadhub_bench_dup")
    p.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    p.add_argument("--reuse-db", action="store_true", help="use a database kept by --keep-db")
    p.add_argument("--no-doc", action="store_true", help=f"do not update {DOC.relative_to(ROOT)}")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    from list import summary

    args = parse_args(argv)
    db_url = database_url(args.admin_url, args.db_name)
    facts = machine_facts(args.admin_url)
    facts["code"] = describe_source(ROOT)
    if not args.reuse_db:
        log(f"creating database {args.db_name}")
        recreate_database(args.admin_url, args.db_name)
    setup_django(db_url, ROOT)
    data: dict[str, Any] = {}
    try:
        if args.reuse_db:
            from django.core.management import call_command

            call_command("migrate", interactive=False, verbosity=0)
            from leadhub.duplicates.models import Candidate, PendingCheck

            PendingCheck.objects.filter(done_at=None).update(done_at=dt.datetime.now(dt.UTC))
            Candidate.objects.all().delete()
        else:
            populate(db_url, args.partners, args.enquiries, reuse=0.0)
            started = time.monotonic()
            diversify(db_url)
            log(f"postal codes and surnames varied in {time.monotonic() - started:.0f} s")
            started = time.monotonic()
            data["keys"] = write_keys(db_url)
            log(f"match keys written in {time.monotonic() - started:.0f} s: {data['keys']}")
        data["summary"] = summary(db_url)
        probes = make_probes(args.probes)
        log(f"{len(probes)} incoming enquiries made")
        facts["loadavg"] = Path("/proc/loadavg").read_text().strip()
        before = busy_cores(2.0)
        facts["other_load"] = f"{before:.2f} cores busy just before the run (other sessions)"
        result = measure(probes)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            drop_database(args.admin_url, args.db_name)
            log(f"dropped database {args.db_name}")
    block = report(result, facts, data)
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
