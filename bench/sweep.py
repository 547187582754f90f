"""A sweep of 100,000 due offers by 2 sweeper processes on PostgreSQL (issue 3; target < 60 s,
each deadline fired exactly once, none lost).

Builds a throw-away database with one brand, 1,000 partners and one rule offering to a
pool of ten; stores N enquiries whose pending offers are all overdue; then starts W
`leadhub sweep --at T` processes at once and times them. Every expiry also routes the
enquiry on to the next partner of the pool (a new offer), as in production.

    .venv/bin/python bench/sweep.py [--offers 100000] [--workers 2] [--keep-db]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import timedelta

BASE = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DB = "leadhub_bench_sweep"
URL = f"{BASE}/{DB}"


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{BASE}/postgres", "-qc", sql], check=True, capture_output=True)


def setup(offers: int, partners: int) -> str:
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    env = os.environ | {"LEADHUB_DATABASE_URL": URL}
    subprocess.run([sys.executable, "-m", "leadhub.cli", "migrate", "-v0"], env=env, check=True)
    os.environ["LEADHUB_DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.utils import timezone

    from leadhub.contacts.models import Contact
    from leadhub.enquiries.models import Enquiry, Status
    from leadhub.network.load import load_network
    from leadhub.orgs.models import Organisation
    from leadhub.routing.models import Offer
    from leadhub.sla.models import Deadline

    pool = [f"p{i:04d}" for i in range(10)]
    load_network(
        {
            "brands": [
                {"key": "brand", "name": "Brand", "country": "IT", "timezone": "Europe/Rome"}
            ],
            "partners": [
                {
                    "key": f"p{i:04d}",
                    "name": f"Partner {i}",
                    "email": f"p{i}@x.example",
                    "country": "IT",
                    "timezone": "Europe/Rome",
                    "brands": ["brand"],
                }
                for i in range(partners)
            ],
            "channels": [{"key": "web", "brand": "brand", "token": "bench-token-000000001"}],
            "rules": [
                {
                    "key": "pool",
                    "brand": "brand",
                    "order": 1,
                    "then": {"offer_to": pool, "strategy": "least_loaded"},
                }
            ],
        }
    )
    brand = Organisation.objects.get(key="brand")
    first = Organisation.objects.get(key=pool[0])
    now = timezone.now()
    past = now - timedelta(days=30)
    step = 5000
    for start in range(0, offers, step):
        n = min(step, offers - start)
        contacts = Contact.objects.bulk_create(
            Contact(
                owner=brand,
                last_name=f"Name{start + i}",
                email=f"c{start + i}@x.example",
                postal_code="39100",
                city="Bolzano",
                country="IT",
            )
            for i in range(n)
        )
        enquiries = Enquiry.objects.bulk_create(
            Enquiry(
                number=f"200101/{start + i + 1:06d}",
                created_at=past,
                updated_at=past,
                type="quote",
                status=Status.OFFERED,
                owner=brand,
                origin_brand=brand,
                contact=c,
                due_at=past,
            )
            for i, c in enumerate(contacts)
        )
        deadlines = Deadline.objects.bulk_create(
            Deadline(kind="offer_expiry", enquiry=e, due_at=past) for e in enquiries
        )
        Offer.objects.bulk_create(
            Offer(
                enquiry=e,
                partner=first,
                rule_key="pool",
                created_at=past,
                deadline_at=past,
                deadline=d,
            )
            for e, d in zip(enquiries, deadlines, strict=True)
        )
    return (now + timedelta(seconds=1)).isoformat()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--partners", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    t = time.perf_counter()
    at = setup(args.offers, args.partners)
    print(f"set-up: {args.offers} due offers in {time.perf_counter() - t:.0f} s")
    env = os.environ | {"LEADHUB_DATABASE_URL": URL, "LEADHUB_LOG_LEVEL": "WARNING"}
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "leadhub.cli", "sweep", "--at", at],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(args.workers)
    ]
    outputs = [p.communicate()[0] for p in procs]
    elapsed = time.perf_counter() - started
    per_worker = [
        sum(1 for line in out.splitlines() if ": offer_expiry: " in line) for out in outputs
    ]

    from django.db import connection

    from leadhub.enquiries.models import HistoryEntry
    from leadhub.routing.models import Offer
    from leadhub.sla.models import Deadline

    connection.close()
    fired = Deadline.objects.filter(fired_at__isnull=False).count()
    expired = Offer.objects.filter(status="expired").count()
    returned = HistoryEntry.objects.filter(kind="offer_returned").count()
    pending_next = Offer.objects.filter(status="pending").count()
    print(
        f"workers={args.workers} fired per worker={per_worker} total={sum(per_worker)} in {elapsed:.1f} s "
        f"= {sum(per_worker) / elapsed:.0f} deadlines/s"
    )
    print(
        f"check: deadlines fired={fired} offers expired={expired} returned entries={returned} "
        f"new offers to the next partner={pending_next}"
    )
    ok = fired == expired == returned == sum(per_worker) == args.offers == pending_next
    print("each fired exactly once, none lost" if ok else "MISMATCH")
    if not args.keep_db:
        connection.close()
        psql(f"DROP DATABASE IF EXISTS {DB}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
