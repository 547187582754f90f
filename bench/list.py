"""The enquiry list with 1,000,000 enquiries on PostgreSQL (issue 4; target: p95 < 150 ms for
the default list, any single filter and page 50 of a sort).

Run from the repository root (PostgreSQL at `--admin-url`):

    .venv/bin/python bench/list.py [--enquiries 1000000] [--repeat 30] [--keep-db]
    .venv/bin/python bench/list.py --reuse-db --keep-db --out var/after.json \
                                   --baseline var/before.json      # before/after table
    .venv/bin/python bench/list.py --reuse-db --keep-db --explain   # slowest SQL, EXPLAINed

What it does, in order:

1. Creates `--db-name` (`leadhub_bench_list`, dropped first) and migrates it; with
   `--reuse-db` it only migrates (so new indexes of the code under test get built).
2. Loads a network through `leadhub.network.load.load_network`: one brand with 30 units and
   300 users, `--partners` partners (1,000) with 3 users each.
3. Seeds with COPY (psycopg): ~700,000 contacts, the enquiries (30 % owned by the brand, one
   big partner with 50,000, the rest skewed over the other partners; 90 % ordered or closed,
   open ones with due dates), 1-3 history entries each, an accepted offer per partner-owned
   enquiry, 3,000 pending offers, tags and read marks; then VACUUM ANALYZE.
4. Starts gunicorn (like bench/intake.py) and, one request at a time, measures for three users
   (brand dispatcher who sees all; brand sales user with OWN rights; a manager of the big
   partner) the page /enquiries/ (logged-in session) and GET /api/v1/enquiries (token):
   the default list, every tab, one value of every column filter, and page 50 of each sort
   (49 cursors followed, the 50th request measured). p50/p95 over `--repeat` requests.
5. Prints a markdown table (with before/after ratios against `--baseline`), saves the raw
   numbers (`--out`), rewrites the generated block of docs/benchmarks.md (unless
   `--no-doc`), and drops the database (unless `--keep-db`).

`--explain` runs no server: it replays every case in-process, lists the slowest SQL
statements of each and prints EXPLAIN (ANALYZE, BUFFERS) of the slowest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake import (
    DEFAULT_ADMIN_URL,
    ROOT,
    Server,
    busy_cores,
    contact_rows,
    database_url,
    describe_source,
    drop_database,
    machine,
    recreate_database,
    setup_django,
)

DOC = ROOT / "docs" / "benchmarks.md"
DOC_START = "<!-- bench/list.py: results start (generated; edits here are overwritten) -->"
DOC_END = "<!-- bench/list.py: results end -->"
TARGET_P95_MS = 150.0
BRAND = "bench-brand"
BIG = "partner-0001"
CHANNEL = "bench-web"
PAGE = 50
DEEP_PAGE = 50

ROLES = {  # label -> username
    "brand dispatcher (ALL)": "brand-dispatcher",
    "brand sales (OWN)": "brand-sales-own",
    "big partner manager": f"{BIG}-manager",
}
OPEN_STATUSES = [
    ("new", 30),
    ("processing", 25),
    ("appointment", 10),
    ("quote_agreed", 8),
    ("quote_delivered", 10),
    ("negotiation", 7),
    ("on_hold", 6),
    ("quote_on_hold", 4),
]
TYPES = [
    ("quote", 55),
    ("sample", 10),
    ("brochure", 15),
    ("appointment", 10),
    ("test_drive", 3),
    ("event", 2),
    ("relationship", 2),
    ("other", 3),
]
KINDS = [("private", 80), ("business", 15), ("prescriber", 5)]


def pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


# --------------------------------------------------------------------------- network


def network(partners: int) -> dict[str, Any]:
    units = [{"key": "head-office", "org": BRAND, "name": "Head office"}]
    units += [
        {"key": f"region-{r}", "org": BRAND, "name": f"Region {r}", "parent": "head-office"}
        for r in range(5)
    ]
    units += [
        {"key": f"branch-{b}", "org": BRAND, "name": f"Branch {b}", "parent": f"region-{b % 5}"}
        for b in range(24)
    ]
    users: list[dict[str, Any]] = [
        {
            "username": "brand-dispatcher",
            "org": BRAND,
            "unit": "head-office",
            "roles": ["dispatcher"],
        },
        {
            "username": "brand-sales-own",
            "org": BRAND,
            "unit": "branch-0",
            "roles": ["sales"],
            "rights": {"*": "own"},
        },
    ]
    users += [
        {
            "username": f"brand-dispatcher-{i}",
            "org": BRAND,
            "unit": "head-office",
            "roles": ["dispatcher"],
        }
        for i in range(4)
    ]
    users += [
        {
            "username": f"brand-sales-{i:03d}",
            "org": BRAND,
            "unit": f"branch-{i % 24}",
            "roles": ["sales"],
        }
        for i in range(294)
    ]
    partner_entries = []
    for i in range(1, partners + 1):
        key = f"partner-{i:04d}"
        partner_entries.append(
            {
                "key": key,
                "name": f"Serramenti {i}",
                "email": f"office@{key}.example.com",
                "country": "IT",
                "timezone": "Europe/Rome",
                "brands": [BRAND],
            }
        )
        users += [
            {"username": f"{key}-manager", "org": key, "roles": ["manager"]},
            {"username": f"{key}-sales-a", "org": key, "roles": ["sales"]},
            {"username": f"{key}-sales-b", "org": key, "roles": ["sales"]},
        ]
    for u in users:
        u.setdefault("email", f"{u['username']}@example.com")
    return {
        "brands": [
            {"key": BRAND, "name": "Bench Windows", "country": "IT", "timezone": "Europe/Rome"}
        ],
        "partners": partner_entries,
        "units": units,
        "users": users,
        "channels": [
            {"key": CHANNEL, "brand": BRAND, "kind": "webhook", "token": "bench-list-token-0001"}
        ],
        "rules": [{"key": "fallback", "brand": BRAND, "order": 1, "then": {"dispatcher": True}}],
    }


# --------------------------------------------------------------------------- seeding


@dataclass
class Ids:
    brand: int
    channel: int
    units: list[int]
    brand_users: list[int]  # sales users other than the measured ones
    sales_own: int
    dispatcher: int
    partners: list[int]  # partner-0001 first
    partner_users: dict[int, list[int]]  # partner id -> [manager, sales, sales]
    user_unit: dict[int, int | None]


def ids() -> Ids:
    from leadhub.intake.models import Channel
    from leadhub.orgs.models import Organisation, OrgUnit, User

    brand = Organisation.objects.get(key=BRAND)
    users = list(User.objects.values_list("pk", "username", "organisation_id", "unit_id"))
    by_name = {name: pk for pk, name, _org, _unit in users}
    partners = list(
        Organisation.objects.filter(kind="partner").order_by("key").values_list("pk", flat=True)
    )
    partner_users: dict[int, list[int]] = {}
    for pk, _name, org, _unit in sorted(users, key=lambda u: u[1]):
        if org != brand.pk and org is not None:
            partner_users.setdefault(org, []).append(pk)
    return Ids(
        brand=brand.pk,
        channel=Channel.objects.get(key=CHANNEL).pk,
        units=list(OrgUnit.objects.filter(organisation=brand).values_list("pk", flat=True)),
        brand_users=[pk for pk, name, _o, _u in users if name.startswith("brand-sales-0")],
        sales_own=by_name["brand-sales-own"],
        dispatcher=by_name["brand-dispatcher"],
        partners=partners,
        partner_users=partner_users,
        user_unit={pk: unit for pk, _n, _o, unit in users},
    )


def fill(conn: psycopg.Connection[Any], table: str, given: list[str]) -> list[tuple[str, str]]:
    """The NOT NULL columns without a database default that `given` leaves out: Django keeps
    defaults in Python, so COPY must send '' or '{}' for them."""
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
        "AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'",
        [table],
    ).fetchall()
    out = []
    for name, kind in rows:
        if name in given or name == "id":
            continue
        if kind in ("character varying", "text"):
            out.append((name, ""))
        elif kind == "jsonb":
            out.append((name, "{}"))
        else:
            raise RuntimeError(f"{table}.{name} ({kind}) needs a value")
    return out


def copy(
    conn: psycopg.Connection[Any], table: str, columns: list[str], rows: Iterable[Sequence[Any]]
) -> int:
    extra = fill(conn, table, columns)
    names = ", ".join([*columns, *(n for n, _ in extra)])
    tail = tuple(v for _, v in extra)
    n = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as out:
        for row in rows:
            out.write_row((*row, *tail))
            n += 1
    return n


@dataclass
class Seeded:
    enquiries: int = 0
    contacts: int = 0
    history: int = 0
    offers: int = 0
    tags: int = 0
    read_marks: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def seed(
    db_url: str, n: int, now: dt.datetime, reuse: float = 0.3, refusals: bool = False
) -> Seeded:
    """1M enquiries and their contacts, history, offers, tags and read marks, by COPY.
    `reuse`: the share of enquiries from a contact the owner has already (0: one contact
    per enquiry, as bench/search.py asks for). `refusals`: before some accepted offers, a
    rejected or expired one to another partner (bench/reports.py's responsiveness)."""
    from django.db import connection

    connection.close()
    ix = ids()
    rng = random.Random(4)
    big_share = min(50_000, n // 20)
    brand_share = int(n * 0.3)
    others = ix.partners[1:]
    # Skewed partners: a few large dealers, a long tail of small ones.
    weights = [1 / (i + 1) ** 0.8 for i in range(len(others))]
    owners = [ix.brand] * brand_share + [ix.partners[0]] * big_share
    owners += rng.choices(others, weights, k=n - len(owners))
    rng.shuffle(owners)
    seeded = Seeded()
    contact_pool: dict[int, list[int]] = {}
    contacts_out: list[tuple[Any, ...]] = []
    rows = contact_rows(n, seed=7)
    contact_cols = ["owner_id", *next(contact_rows(1))]  # the keys, in the rows' order
    # enquiry facts kept for the dependent tables: (id, owner, status, created, updated, user)
    facts: list[tuple[int, int, str, dt.datetime, dt.datetime, int | None]] = []
    pending: list[tuple[int, int]] = []  # (enquiry, partner)
    enquiry_rows: list[tuple[Any, ...]] = []
    sales_own_left = min(30_000, brand_share // 10)
    offered_left, offered_big = 3_000, 50
    three_years = 3 * 365 * 86400
    for i, owner in enumerate(owners, start=1):
        pool = contact_pool.setdefault(owner, [])
        if pool and rng.random() < reuse:
            contact = rng.choice(pool)
        else:
            row = next(rows)
            row["kind"] = pick(rng, KINDS)
            contacts_out.append((owner, *row.values()))
            contact = len(contacts_out)
            pool.append(contact)
        is_brand = owner == ix.brand
        offered = is_brand and offered_left > 0 and rng.random() < 0.02
        is_open = offered or rng.random() < 0.10
        if offered:
            offered_left -= 1
            created = now - dt.timedelta(seconds=rng.uniform(0, 2 * 86400))
            status = "offered"
        elif is_open:
            created = now - dt.timedelta(seconds=rng.uniform(0, 120 * 86400))
            status = pick(rng, OPEN_STATUSES)
        else:
            created = now - dt.timedelta(seconds=rng.uniform(30 * 86400, three_years))
            status = "closed" if rng.random() < 0.72 else "ordered"
        span = (now - created).total_seconds()
        updated = created + dt.timedelta(
            seconds=rng.uniform(0, span if is_open else min(span, 60 * 86400))
        )
        user: int | None = None
        unit: int | None = None
        if offered:
            pass
        elif is_brand:
            r = rng.random()
            if sales_own_left and r < 0.1:
                user = ix.sales_own
                sales_own_left -= 1
            elif r < 0.6:
                user = rng.choice(ix.brand_users)
            elif r < 0.8:
                unit = rng.choice(ix.units)
        elif rng.random() < 0.85:
            user = rng.choice(ix.partner_users[owner])
        due = None
        if offered:
            due = now + dt.timedelta(seconds=rng.uniform(0, 2 * 86400))
        elif is_open:
            due = now + dt.timedelta(seconds=rng.uniform(-20 * 86400, 20 * 86400))
        returned = (
            updated
            if is_brand and is_open and not offered and user is None and rng.random() < 0.1
            else None
        )
        if offered:
            partner = ix.partners[0] if offered_big and rng.random() < 0.1 else rng.choice(others)
            offered_big -= partner == ix.partners[0]
            pending.append((i, partner))
        facts.append((i, owner, status, created, updated, user))
        enquiry_rows.append(
            (
                i,
                f"{created:%y%m%d}/{i:07d}",
                created,
                updated,
                pick(rng, TYPES),
                status,
                owner,
                ix.brand,
                ix.channel if rng.random() < 0.7 else None,
                contact,
                user,
                unit,
                due,
                returned,
                "Nine windows for a renovation, please call me in the evening.",
            )
        )
    with psycopg.connect(db_url) as conn:
        seeded.contacts = copy(
            conn,
            "contacts_contact",
            ["id", "created_at", *contact_cols],
            ((k, now, *row) for k, row in enumerate(contacts_out, start=1)),
        )
        del contacts_out
        seeded.enquiries = copy(
            conn,
            "enquiries_enquiry",
            [
                "id",
                "number",
                "created_at",
                "updated_at",
                "type",
                "status",
                "owner_id",
                "origin_brand_id",
                "channel_id",
                "contact_id",
                "assigned_user_id",
                "assigned_unit_id",
                "due_at",
                "returned_at",
                "text",
            ],
            enquiry_rows,
        )
        del enquiry_rows
        seeded.history = copy(
            conn,
            "enquiries_historyentry",
            ["enquiry_id", "at", "category", "kind", "actor_id", "organisation_id", "message"],
            history_rows(facts, ix, rng),
        )
        seeded.offers = copy(
            conn,
            "routing_offer",
            [
                "enquiry_id",
                "partner_id",
                "status",
                "created_at",
                "deadline_at",
                "decided_at",
                "brand_id",
                "working_seconds",
                "processed_at",
            ],
            offer_rows(facts, pending, ix, now, refusals),
        )
        seeded.tags, seeded.read_marks = tags_and_marks(conn, facts, ix, rng)
        for table in (
            "contacts_contact",
            "enquiries_enquiry",
            "enquiries_historyentry",
            "routing_offer",
            "enquiries_tag",
            "enquiries_readmark",
        ):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    seeded.counts = {
        "open": sum(1 for f in facts if f[2] not in ("ordered", "closed")),
        "brand": sum(1 for f in facts if f[1] == ix.brand),
        "big partner": sum(1 for f in facts if f[1] == ix.partners[0]),
        "sales user's": sum(1 for f in facts if f[5] == ix.sales_own),
        "pending offers": len(pending),
    }
    return seeded


def history_rows(
    facts: list[tuple[int, int, str, dt.datetime, dt.datetime, int | None]],
    ix: Ids,
    rng: random.Random,
) -> Iterator[tuple[Any, ...]]:
    """Received (by nobody), accepted by the partner, and the latest change (by a user)."""
    for pk, owner, status, created, updated, user in facts:
        yield (pk, created, "system", "received", None, ix.brand, "Received.")
        if owner != ix.brand:
            accepter = ix.partner_users[owner][0]
            yield (pk, created, "action", "offer_accepted", accepter, owner, "Accepted.")
        if updated > created and status != "offered":
            actor = user if user is not None and rng.random() < 0.8 else None
            yield (pk, updated, "action", "status", actor, owner, "Status changed.")


def offer_rows(
    facts: list[tuple[int, int, str, dt.datetime, dt.datetime, int | None]],
    pending: list[tuple[int, int]],
    ix: Ids,
    now: dt.datetime,
    refusals: bool = False,
) -> Iterator[tuple[Any, ...]]:
    """An accepted offer per partner-owned enquiry, decided within two days, with its
    reaction time in working seconds (stored when decided, decision 0040) and, for four in
    five, when the partner first worked it. Its own random stream: the other tables' data
    stays what it was before these columns."""
    rng = random.Random(11)
    day = dt.timedelta(days=1)
    for pk, owner, _status, created, _updated, _user in facts:
        if owner == ix.brand:
            continue
        offered = created
        if refusals and rng.random() < 0.2:
            other = rng.choice(ix.partners)
            expired = rng.random() < 0.25
            seconds = 48 * 3600 if expired else rng.randint(600, 30 * 3600)
            yield (
                pk,
                other,
                "expired" if expired else "rejected",
                created - 2 * day,
                created,
                created - 2 * day + dt.timedelta(seconds=seconds * 2),
                ix.brand,
                seconds,
                None,
            )
        seconds = int(rng.lognormvariate(9.0, 1.0)) % (40 * 3600)
        decided = offered + dt.timedelta(seconds=seconds * 2)
        processed = decided + dt.timedelta(hours=rng.uniform(1, 72)) if rng.random() < 0.8 else None
        yield (
            pk,
            owner,
            "accepted",
            offered,
            offered + 2 * day,
            decided,
            ix.brand,
            seconds,
            processed,
        )
    for pk, partner in pending:
        yield (pk, partner, "pending", now, now + 2 * day, None, ix.brand, None, None)


def tags_and_marks(
    conn: psycopg.Connection[Any],
    facts: list[tuple[int, int, str, dt.datetime, dt.datetime, int | None]],
    ix: Ids,
    rng: random.Random,
) -> tuple[int, int]:
    """Tags: 12 of the brand's on 5 % of its enquiries, 5 per partner on 10 % of theirs.
    Read marks: the measured users opened many of theirs; other users some of theirs."""
    tag_rows: list[tuple[int, int, str]] = []
    tag_of: dict[int, list[int]] = {}
    for org in [ix.brand, *ix.partners]:
        count = 12 if org == ix.brand else 5
        for t in range(count):
            tag_rows.append((len(tag_rows) + 1, org, f"tag-{t}"))
            tag_of.setdefault(org, []).append(len(tag_rows))
    copy(conn, "enquiries_tag", ["id", "organisation_id", "name"], tag_rows)
    links: set[tuple[int, int]] = set()
    marks: dict[tuple[int, int], dt.datetime] = {}
    big_manager = ix.partner_users[ix.partners[0]][0]
    for pk, owner, _status, _created, updated, user in facts:
        if rng.random() < (0.05 if owner == ix.brand else 0.10):
            links.add((rng.choice(tag_of[owner]), pk))
        # Read after the latest change mostly; a fifth changed again since (unread).
        seen = updated + dt.timedelta(hours=rng.choice([1, 1, 1, 1, -1]))
        if owner == ix.brand and rng.random() < 0.15:
            marks[(ix.dispatcher, pk)] = seen
        if owner == ix.partners[0] and rng.random() < 0.5:
            marks[(big_manager, pk)] = seen
        if user is not None and rng.random() < 0.6:
            marks[(user, pk)] = seen
    copy(conn, "enquiries_tag_enquiries", ["tag_id", "enquiry_id"], sorted(links))
    copy(
        conn,
        "enquiries_readmark",
        ["user_id", "enquiry_id", "read_at"],
        ((u, e, at) for (u, e), at in marks.items()),
    )
    return len(links), len(marks)


def populate(
    db_url: str, partners: int, enquiries: int, reuse: float = 0.3, refusals: bool = False
) -> Seeded:
    from django.core.management import call_command

    from leadhub.network.load import load_network

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    load_network(network(partners))
    log(f"network loaded in {time.monotonic() - started:.0f} s")
    from django.utils import timezone

    seeded = seed(db_url, enquiries, timezone.now(), reuse, refusals)
    log(f"database ready in {time.monotonic() - started:.0f} s: {seeded}")
    return seeded


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    name: str
    params: dict[str, str]
    deep: bool = False  # page DEEP_PAGE: follow cursors first
    page_path: str = "/enquiries/?"  # the page's URL; "" for an API-only case
    api_path: str = "/api/v1/enquiries?"  # "" for a page-only case


def cases(user_pk: int, other_user: int, unit: int) -> list[Case]:
    """The page's parameters; the API's are derived from them (see api_params)."""
    out = [Case("default (open, due)", {})]
    out += [Case(f"tab {t}", {"tab": t}) for t in ("mine", "unread", "queue", "returned")]
    out.append(Case("done (ordered/closed)", {"done": "1"}))
    filters = [
        ("contact_kind", "business"),
        ("type", "sample"),
        ("status", "processing"),
        ("responsible", "me"),
        ("responsible", "none"),
        ("responsible", str(other_user)),
        ("due", "overdue"),
        ("due", "today"),
        ("due", "week"),
        ("due", "none"),
        ("tag", "tag-1"),
    ]
    if unit:  # partners here have no units
        filters.insert(7, ("responsible", f"unit-{unit}"))
    out += [Case(f"{k}={v}", {k: v}) for k, v in filters]
    sorts = ("due", "-due", "created", "-created", "updated", "-updated")
    out += [Case(f"page {DEEP_PAGE}, sort {s}", {"sort": s}, deep=True) for s in sorts]
    # The tabs' counts, which the page loads right after its rows (htmx).
    out.append(
        Case("tab counters (after the page)", {}, page_path="/enquiries/counters/?", api_path="")
    )
    return out


def api_params(params: dict[str, str]) -> dict[str, str]:
    """The page's tab names as the API spells them; the open list unless `done` is given."""
    out = {k: v for k, v in params.items() if k != "tab"}
    tab = params.get("tab")
    if tab:
        out["unassigned" if tab == "queue" else tab] = "true"
    out["done"] = "true" if params.get("done") == "1" else "false"
    return out


# --------------------------------------------------------------------------- measuring


@dataclass
class Result:
    role: str
    surface: str  # "page" or "api"
    case: str
    times_ms: list[float]
    page: int = 1  # the page measured (fewer than DEEP_PAGE when the list is shorter)
    rows: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        t = sorted(self.times_ms)
        return t[min(len(t) - 1, round(0.95 * (len(t) - 1)))]


class Client:
    """One HTTP client, one request at a time (latency, not throughput)."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port, self.headers = port, headers

    def get(self, path: str, extra: dict[str, str] | None = None) -> tuple[float, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        started = time.perf_counter()
        conn.request("GET", path, headers=self.headers | (extra or {}))
        answer = conn.getresponse()
        body = answer.read().decode()
        elapsed = (time.perf_counter() - started) * 1000
        conn.close()
        if answer.status != 200:
            raise RuntimeError(f"GET {path}: {answer.status} {body[:300]}")
        return elapsed, body


def query(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


CURSOR = re.compile(r"[?&]cursor=([A-Za-z0-9_-]+)")
ROW = re.compile(r'<tr[^>]*data-number=|<input[^>]*name="number"')


def measure(
    client: Client, surface: str, case: Case, username: str, args: argparse.Namespace
) -> tuple[list[float], int, int]:
    """(times, page measured, rows on it)."""
    base = case.page_path if surface == "page" else case.api_path
    params = case.params if surface == "page" else api_params(case.params)
    extra: dict[str, str] = {}
    page = 1
    if case.deep:
        if surface == "page":
            extra = {"HX-Request": "true"}  # "Show more" fetches the rows alone
        cursor, page = (None, 1) if args.follow_cursors else jump(username, surface, case)
        if cursor is None:  # follow the "next" links, as a client does
            for _ in range(DEEP_PAGE - 1):
                _t, body = client.get(
                    base + query(params | ({"cursor": cursor} if cursor else {})), extra
                )
                found = next_cursor(surface, body)
                if not found:
                    break
                cursor, page = found, page + 1
        if cursor:
            params = params | {"cursor": cursor}
    path = base + query(params)
    _t, body = client.get(path, extra)  # warm-up
    rows = len(json.loads(body)["items"]) if surface == "api" else len(ROW.findall(body))
    times: list[float] = []
    started = time.monotonic()
    while len(times) < args.repeat:
        times.append(client.get(path, extra)[0])
        if len(times) >= args.min_samples and time.monotonic() - started > args.budget:
            break  # a slow case: enough samples for its median
    return times, page, rows


def jump(username: str, surface: str, case: Case) -> tuple[str | None, int]:
    """The cursor that DEEP_PAGE - 1 "next" links lead to, found in-process with one OFFSET
    query (following them over HTTP costs 49 requests per case, minutes before the fixes).
    (None, 1) when the list is shorter: the caller then follows the links to its last page."""
    from django.utils import timezone

    from leadhub.enquiries.listing import ListFilters, apply_filters
    from leadhub.enquiries.models import Status
    from leadhub.enquiries.pagination import SORTS, encode_cursor
    from leadhub.enquiries.queries import visible_enquiries
    from leadhub.orgs.models import User

    user = User.objects.get(username=username)
    qs = visible_enquiries(user)
    if surface == "page":  # offers to us are listed apart, above the pages
        offers = qs.filter(status=Status.OFFERED).exclude(owner_id=user.organisation_id)
        qs = qs.exclude(pk__in=offers.values("pk"))
    qs = apply_filters(qs, ListFilters(done=False), user, timezone.now())
    order = SORTS[case.params["sort"]]
    last = (DEEP_PAGE - 1) * PAGE - 1  # the last row of page DEEP_PAGE - 1
    rows = list(qs.order_by(*order.order_by()).values_list(order.column, "pk")[last : last + 1])
    if not rows:
        return None, 1
    return encode_cursor(*rows[0]), DEEP_PAGE


def next_cursor(surface: str, body: str) -> str | None:
    if surface == "api":
        found: str | None = json.loads(body)["next_cursor"]
        return found
    match = CURSOR.search(body)
    return match.group(1) if match else None


def credentials(username: str) -> tuple[str, str]:
    """(session cookie, API token) for `username`."""
    from django.conf import settings
    from django.test import Client as DjangoClient

    from leadhub.orgs.models import User
    from leadhub.orgs.tokens import issue_token

    user = User.objects.get(username=username)
    browser = DjangoClient()
    browser.force_login(user)
    return browser.cookies[settings.SESSION_COOKIE_NAME].value, issue_token(user)


def role_cases(username: str) -> list[Case]:
    from leadhub.orgs.models import OrgUnit, User

    user = User.objects.get(username=username)
    colleague = (
        User.objects.filter(organisation=user.organisation)
        .exclude(pk=user.pk)
        .order_by("pk")
        .first()
    )
    unit = OrgUnit.objects.filter(organisation=user.organisation).order_by("pk").first()
    return cases(user.pk, colleague.pk if colleague else 0, unit.pk if unit else 0)


def bench(args: argparse.Namespace, db_url: str, work: Path) -> list[Result]:
    server = Server(
        db_url=db_url,
        port=args.port,
        workers=args.workers,
        threads=1,
        worker_class=None,
        source=ROOT,
        log_path=work / "gunicorn.log",
    )
    results: list[Result] = []
    try:
        for role, username in ROLES.items():
            cookie, token = credentials(username)
            clients = {
                "page": Client(args.port, {"Cookie": f"sessionid={cookie}"}),
                "api": Client(args.port, {"Authorization": f"Bearer {token}"}),
            }
            for case in role_cases(username):
                if args.only and not re.search(args.only, case.name):
                    continue
                for surface, client in clients.items():
                    if not (case.page_path if surface == "page" else case.api_path):
                        continue
                    times, page, rows = measure(client, surface, case, username, args)
                    r = Result(role, surface, case.name, times, page, rows)
                    results.append(r)
                    log(
                        f"{role} | {surface} | {case.name}: p50 {r.p50:.1f} ms, p95 {r.p95:.1f} ms "
                        f"(n {len(times)}, page {page}, {rows} rows)"
                    )
    finally:
        server.stop()
        errors = server.errors()
        if errors:
            log(f"server: {errors} (log: {server.log_path})")
    return results


# --------------------------------------------------------------------------- explain


def explain(args: argparse.Namespace) -> None:
    """Replays every case in-process; prints the slowest statements and EXPLAIN ANALYZE."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    from leadhub.orgs.models import User
    from leadhub.orgs.tokens import issue_token

    for role, username in ROLES.items():
        user = User.objects.get(username=username)
        browser = DjangoClient()
        browser.force_login(user)
        token = issue_token(user)
        for case in role_cases(username):
            if args.only and not re.search(args.only, case.name):
                continue
            for surface in ("page", "api"):
                if not (case.page_path if surface == "page" else case.api_path):
                    continue
                params = case.params if surface == "page" else api_params(case.params)
                if case.deep:  # page DEEP_PAGE: its cursor, as the links would lead there
                    cursor, _page = jump(username, surface, case)
                    params = params | ({"cursor": cursor} if cursor else {})
                if surface == "page":
                    path = case.page_path + query(params)
                    headers = {}
                else:
                    path = case.api_path + query(params)
                    headers = {"Authorization": f"Bearer {token}"}
                browser.get(path, headers=headers)  # warm
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    answer = browser.get(path, headers=headers)
                total = (time.perf_counter() - started) * 1000
                assert answer.status_code == 200, answer.status_code
                timed = sorted(
                    ((float(q["time"]) * 1000, str(q["sql"])) for q in captured.captured_queries),
                    reverse=True,
                )
                sql_ms = sum(t for t, _ in timed)
                print(
                    f"\n## {role} | {surface} | {case.name}: {total:.1f} ms, "
                    f"{len(timed)} statements, {sql_ms:.1f} ms in SQL"
                )
                for t, s in timed[:3]:
                    print(f"   {t:7.1f} ms  {s[:400]}")
                if timed and timed[0][0] >= args.explain_over:
                    with connection.cursor() as cur:
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + timed[0][1])
                        print("\n".join("      " + r[0] for r in cur.fetchall()))


# --------------------------------------------------------------------------- report


def table(results: list[Result], baseline: dict[tuple[str, str, str], dict[str, float]]) -> str:
    head = "| user | case | page p50 | page p95 | API p50 | API p95 |"
    rule = "| --- | --- | ---: | ---: | ---: | ---: |"
    if baseline:
        head = (
            "| user | case | page p95 before | page p95 after | page p50 after | ratio "
            "| API p95 before | API p95 after | API p50 after | ratio |"
        )
        rule = "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    lines = [head, rule]
    by_key = {(r.role, r.case, r.surface): r for r in results}
    seen: list[tuple[str, str]] = []
    for r in results:
        if (r.role, r.case) not in seen:
            seen.append((r.role, r.case))

    def mark(ms: float) -> str:
        return f"**{ms:,.0f}**" if ms >= TARGET_P95_MS else f"{ms:,.0f}"

    for role, case in seen:
        cells = []
        for surface in ("page", "api"):
            found = by_key.get((role, case, surface))
            if found is None:
                cells += ["\u2013"] * (4 if baseline else 2)
                continue
            r = found
            label = "" if r.page == 1 or r.page == DEEP_PAGE else f" (page {r.page})"
            if baseline:
                b = baseline.get((role, case, surface))
                before = b["p95"] if b else None
                cells += [
                    mark(before) if before else "\u2013",
                    mark(r.p95) + label,
                    f"{r.p50:,.0f}",
                    f"{before / r.p95:,.1f} \u00d7" if before else "\u2013",
                ]
            else:
                cells += [f"{r.p50:,.0f}", mark(r.p95) + label]
        lines.append(f"| {role} | {case} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def load_baseline(path: Path | None) -> dict[tuple[str, str, str], dict[str, float]]:
    if path is None:
        return {}
    raw = json.loads(path.read_text())
    out = {}
    for r in raw["results"]:
        times = r["times_ms"]
        res = Result(r["role"], r["surface"], r["case"], times)
        out[(r["role"], r["case"], r["surface"])] = {"p50": res.p50, "p95": res.p95}
    return out


def report(
    results: list[Result],
    args: argparse.Namespace,
    facts: dict[str, str],
    seeded: dict[str, Any],
    baseline: dict[tuple[str, str, str], dict[str, float]],
) -> str:
    worst = max(results, key=lambda r: r.p95)
    over = [r for r in results if r.p95 >= TARGET_P95_MS]
    met = not over
    command = (
        f".venv/bin/python bench/list.py --repeat {args.repeat}"
        + (" --follow-cursors" if args.follow_cursors else "")
        + (f" --baseline {args.baseline}" if args.baseline else "")
    )
    return f"""{DOC_START}
Latest run, {facts["date"]}: {facts["cores"]} cores ({facts["cpu"]}), {facts["ram"]} RAM,
PostgreSQL {facts["postgres"]}, Python {facts["python"]}; gunicorn ({args.workers} sync workers),
database and client on the same machine. Other load: {facts["other_load"]}.
Code: {facts["code"]}.
Data: {seeded.get("summary", "?")}.
Each case: one warm-up request, then {args.repeat} requests one after the other (fewer when a
case took longer than {args.budget:g} s); p50 and p95 in ms, **bold** at or above {TARGET_P95_MS:.0f} ms.
{"Before: " + facts["baseline"] + "." if baseline else ""}

```
{command}
```

{table(results, baseline)}

Target (p95 < {TARGET_P95_MS:.0f} ms in every case): **{"met" if met else "NOT met"}**
({len(over)} of {len(results)} cases at or above; slowest: {worst.role}, {worst.surface},
{worst.case}, p95 {worst.p95:,.0f} ms).
{DOC_END}"""


def update_doc(block: str) -> None:
    text = DOC.read_text()
    if DOC_START in text and DOC_END in text:
        head, rest = text.split(DOC_START, 1)
        text = head + block + rest.split(DOC_END, 1)[1]
    else:
        text = text.rstrip() + f"\n\n## Enquiry list (issue 4)\n\n{block}\n"
    DOC.write_text(text)


STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.0f} s] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--enquiries", type=int, default=1_000_000)
    p.add_argument("--partners", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=30, help="measured requests per case")
    p.add_argument("--budget", type=float, default=20, help="seconds per case at most (n ≥ 5)")
    p.add_argument("--min-samples", type=int, default=5, help="per case, whatever the budget")
    p.add_argument(
        "--follow-cursors",
        action="store_true",
        help=f"reach page {DEEP_PAGE} over HTTP, link by link (default: one OFFSET query)",
    )
    p.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    p.add_argument("--port", type=int, default=8766)
    p.add_argument("--only", help="regular expression: the cases to run")
    p.add_argument(
        "--admin-url", default=os.environ.get("LEADHUB_BENCH_ADMIN_URL", DEFAULT_ADMIN_URL)
    )
    p.add_argument("--db-name", default="leadhub_bench_list")
    p.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    p.add_argument("--reuse-db", action="store_true", help="use a database kept by --keep-db")
    p.add_argument("--out", type=Path, help="save the raw results (JSON) here")
    p.add_argument("--baseline", type=Path, help="results of an earlier run (--out), for ratios")
    p.add_argument("--no-doc", action="store_true", help=f"do not update {DOC.relative_to(ROOT)}")
    p.add_argument("--seed-only", action="store_true", help="create the database, measure nothing")
    p.add_argument("--explain", action="store_true", help="no server: slowest SQL, EXPLAINed")
    p.add_argument("--explain-over", type=float, default=20, help="EXPLAIN statements over ms")
    return p.parse_args(argv)


def summary(db_url: str) -> str:
    with psycopg.connect(db_url) as conn:

        def count(sql: str) -> int:
            row = conn.execute(sql).fetchone()
            return int(row[0]) if row else 0

        e = count("SELECT count(*) FROM enquiries_enquiry")
        opened = count(
            "SELECT count(*) FROM enquiries_enquiry WHERE status NOT IN ('ordered', 'closed')"
        )
        brand = count(
            "SELECT count(*) FROM enquiries_enquiry e JOIN orgs_organisation o ON o.id = e.owner_id "
            f"WHERE o.key = '{BRAND}'"
        )
        big = count(
            "SELECT count(*) FROM enquiries_enquiry e JOIN orgs_organisation o ON o.id = e.owner_id "
            f"WHERE o.key = '{BIG}'"
        )
        own = count(
            "SELECT count(*) FROM enquiries_enquiry e JOIN orgs_user u ON u.id = e.assigned_user_id "
            "WHERE u.username = 'brand-sales-own'"
        )
        other = {
            t: count(f"SELECT count(*) FROM {t}")
            for t in (
                "contacts_contact",
                "enquiries_historyentry",
                "routing_offer",
                "enquiries_tag_enquiries",
                "enquiries_readmark",
                "orgs_user",
            )
        }
        pending = count("SELECT count(*) FROM routing_offer WHERE status = 'pending'")
    return (
        f"{e:,} enquiries ({opened:,} open), {brand:,} owned by the brand, {big:,} by the big "
        f"partner, {own:,} assigned to the OWN sales user; {other['contacts_contact']:,} contacts, "
        f"{other['enquiries_historyentry']:,} history entries, {other['routing_offer']:,} offers "
        f"({pending:,} pending), {other['enquiries_tag_enquiries']:,} tag links, "
        f"{other['enquiries_readmark']:,} read marks, {other['orgs_user']:,} users"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db_url = database_url(args.admin_url, args.db_name)
    facts = machine_facts(args.admin_url)
    if not args.reuse_db:
        log(f"creating database {args.db_name}")
        recreate_database(args.admin_url, args.db_name)
    facts["code"] = describe_source(ROOT)
    setup_django(db_url, ROOT)
    work = Path(tempfile.mkdtemp(prefix="leadhub-bench-list-"))
    try:
        if args.reuse_db:
            from django.core.management import call_command

            call_command("migrate", interactive=False, verbosity=1)  # the indexes under test
        else:
            populate(db_url, args.partners, args.enquiries)
        if args.explain:
            explain(args)
            return 0
        if args.seed_only:
            log(summary(db_url))
            return 0
        seeded = {"summary": summary(db_url)}
        log(seeded["summary"])
        before = busy_cores(2.0)
        results = bench(args, db_url, work)
        facts["other_load"] = f"{before:.2f} cores busy just before the run (other sessions)"
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            drop_database(args.admin_url, args.db_name)
            log(f"dropped database {args.db_name}")
    baseline = load_baseline(args.baseline)
    if args.baseline:
        facts["baseline"] = json.loads(args.baseline.read_text())["facts"]["code"]
    raw = {"facts": facts, "data": seeded, "results": [asdict(r) for r in results]}
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(raw, indent=1))
        log(f"raw results in {args.out}")
    block = report(results, args, facts, seeded, baseline)
    print(block)
    if not args.no_doc:
        update_doc(block)
        log(f"updated {DOC.relative_to(ROOT)}")
    return 0


def machine_facts(admin_url: str) -> dict[str, str]:
    try:
        return machine(admin_url)
    except (FileNotFoundError, OSError):  # machine() asks wrk for its version
        return {"date": dt.date.today().isoformat()}


def stop_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks: server, database


if __name__ == "__main__":
    signal.signal(signal.SIGINT, stop_on_signal)
    signal.signal(signal.SIGTERM, stop_on_signal)
    sys.exit(main())
