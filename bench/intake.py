"""Intake throughput over HTTP on PostgreSQL (issue 2), next to the stack's ceiling.

Run from the repository root (needs `wrk` on the PATH and PostgreSQL at `--admin-url`):

    .venv/bin/python bench/intake.py [--duration 20] [--connections 16]
                                     [--workers 4] [--threads 1] [--keep-db]
    .venv/bin/python bench/intake.py --matrix 4x1,3x2,2x4 --repeat 5   # several set-ups

What it does, in order:

1. Creates a throw-away database (`--db-name`, default `leadhub_bench`, dropped first if it
   exists) on the server of `--admin-url` and migrates it.
2. Loads a generated network through `leadhub.network.load.load_network`: one brand,
   `--partners` partners (1,000) of it with a user each, a webhook channel, and routing rules
   (`--routing offers`: 90 postal-code zones offered round robin to partner pools, plus a
   dispatcher fallback; `--routing dispatcher`: the fallback only).
3. Inserts `--contacts` contacts (100,000) owned by the brand with `bulk_create`.
4. Lists the SQL statements of one intake request, run in-process (CaptureQueriesContext).
5. For each workers x threads set-up (`--workers/--threads`, or `--matrix`): starts gunicorn
   on config.wsgi (access log off, LEADHUB_LOG_LEVEL=WARNING), waits for GET /api/v1/health,
   warms up, then `--repeat` times: waits for the machine to be quiet (`--quiet-wait`), runs
   wrk for `--duration` seconds against GET /api/v1/health (the ceiling) and then against
   POST /api/v1/intake/{channel}/enquiries, every request with a unique Idempotency-Key and
   external_id and a varied body. Meanwhile it samples CPU per process group and what the
   PostgreSQL backends wait on (and, for lock waits, which statement and what the holder
   does). Afterwards it checks the database: enquiries and receipts created vs the 201
   answers wrk counted, numbers unique and without gaps.
6. Prints a markdown table (medians over the runs no other work disturbed), rewrites the
   generated block of docs/benchmarks.md (unless `--no-doc`), stops gunicorn and drops the
   database (unless `--keep-db`). Raw results go to results.json in the work directory.

`--source DIR` serves the code of another tree (e.g. a `git archive` export) instead of this
checkout. The load generator shares the machine with the server and PostgreSQL; the CPU
columns say how much each took. See also bench/intake_profile.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
DOC_START = "<!-- bench/intake.py: results start (generated; edits here are overwritten) -->"
DOC_END = "<!-- bench/intake.py: results end -->"
DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
HEALTH_PATH = "/api/v1/health"
BRAND = "bench-brand"
CHANNEL = "bench-web"
TOKEN = "bench-channel-token-000000000001"
TARGET_RATE = 200.0  # enquiries per second
TARGET_SHARE = 0.30  # of the health endpoint's requests per second
DISTURBED = 0.15  # cores used by other processes that make a run "disturbed"


# --------------------------------------------------------------------------- data


FIRST_NAMES = [
    "Luca",
    "Giulia",
    "Marco",
    "Anna",
    "Matteo",
    "Sara",
    "Alessandro",
    "Chiara",
    "Francesco",
    "Martina",
    "Lorenzo",
    "Elena",
    "Andrea",
    "Valentina",
    "Davide",
    "Federica",
    "Lukas",
    "Lena",
    "Jonas",
    "Sophie",
    "Maximilian",
    "Hannah",
    "Felix",
    "Laura",
    "Tobias",
    "Julia",
    "Stefan",
    "Katharina",
    "Jean",
    "Camille",
    "Pierre",
    "Manon",
    "Piotr",
    "Katarzyna",
    "Tomasz",
    "Ewa",
]
LAST_NAMES = [
    "Moretti",
    "Rossi",
    "Bianchi",
    "Ferrari",
    "Esposito",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Costa",
    "Giordano",
    "Mancini",
    "Rizzo",
    "Lombardi",
    "Gruber",
    "Huber",
    "Pichler",
    "Hofer",
    "Mayr",
    "Müller",
    "Schmid",
    "Wagner",
    "Egger",
    "Moser",
    "Steiner",
    "Kofler",
    "Thaler",
    "Obexer",
    "Dubois",
    "Martin",
    "Bernard",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
]
DOMAINS = ["example.com", "mail.example.it", "posta.example.it", "example.de", "example.at"]
PLACES = [  # (postal code, city, province, country, E.164 prefixes, language)
    ("39100", "Bolzano", "BZ", "IT", ("+39347", "+39335", "+390471"), "it"),
    ("39012", "Merano", "BZ", "IT", ("+39340", "+390473"), "de"),
    ("38122", "Trento", "TN", "IT", ("+39328", "+390461"), "it"),
    ("20121", "Milano", "MI", "IT", ("+39333", "+3902"), "it"),
    ("00184", "Roma", "RM", "IT", ("+39320", "+3906"), "it"),
    ("6020", "Innsbruck", "", "AT", ("+43664", "+43676"), "de"),
    ("80331", "M\u00fcnchen", "", "DE", ("+49151", "+49176"), "de"),
    ("69002", "Lyon", "", "FR", ("+3361", "+3362", "+3367"), "fr"),
    ("00-001", "Warszawa", "", "PL", ("+4850", "+4860"), "pl"),
]
PHONE_DIGITS = {"IT": 12, "AT": 12, "DE": 13, "FR": 11, "PL": 11}  # E.164 digits after "+"
STREETS = ["Via Roma", "Via Garibaldi", "Corso Italia", "Hauptstra\u00dfe", "Bahnhofstra\u00dfe"]


def contact_rows(count: int, seed: int = 2) -> Iterator[dict[str, str]]:
    """Varied, plausible contacts: names, normalised e-mails and E.164 phone numbers."""
    rng = random.Random(seed)
    for i in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        postal_code, city, province, country, prefixes, language = rng.choice(PLACES)
        prefix = rng.choice(prefixes)
        digits = PHONE_DIGITS[country] - (len(prefix) - 1)
        phone = prefix + str(rng.randint(10 ** (digits - 1), 10**digits - 1))
        business = rng.random() < 0.15
        local = f"{first}.{last}".lower().replace(" ", "")
        yield {
            "kind": "business" if business else "private",
            "first_name": first,
            "last_name": last,
            "company": f"{last} {rng.choice(['Srl', 'GmbH', 'SAS', 'Sp. z o.o.'])}"
            if business
            else "",
            "email": f"{local}{i}@{rng.choice(DOMAINS)}" if rng.random() < 0.9 else "",
            "phone": phone if rng.random() < 0.8 else "",
            "language": language,
            "street": f"{rng.choice(STREETS)} {rng.randint(1, 200)}",
            "postal_code": postal_code,
            "city": city,
            "province": province,
            "country": country,
        }


def network(partners: int, routing: str) -> dict[str, Any]:
    """The network file: one brand, `partners` partners of it with one user each, a channel.

    With routing "offers", 90 zones (Italian postal codes 10000-99999 by their first two
    digits) each have a rule offering to a pool of partners, round robin; codes 00000-09999
    fall through to the dispatcher. With "dispatcher", only the fallback rule exists.
    """
    rng = random.Random(1)
    places = [("IT", "BZ", "Europe/Rome"), ("IT", "TN", "Europe/Rome"), ("AT", "", "Europe/Vienna")]
    partner_entries: list[dict[str, Any]] = []
    for i in range(1, partners + 1):
        country, subdivision, tz = rng.choice(places)
        entry: dict[str, Any] = {
            "key": f"partner-{i:04d}",
            "name": f"{rng.choice(LAST_NAMES)} Serramenti {i}",
            "email": f"office@partner-{i:04d}.example.com",
            "country": country,
            "timezone": tz,
            "grade": rng.randint(0, 5),
            "brands": [BRAND],
        }
        if subdivision:
            entry["subdivision"] = subdivision
        partner_entries.append(entry)
    return {
        "brands": [
            {
                "key": BRAND,
                "name": "Bench Windows",
                "country": "IT",
                "subdivision": "BZ",
                "timezone": "Europe/Rome",
                "working_hours": {
                    d: "08:00-12:00,13:00-17:00" for d in ("mon", "tue", "wed", "thu", "fri")
                },
            }
        ],
        "partners": partner_entries,
        "users": [
            {
                "username": f"user-{p['key']}",
                "org": p["key"],
                "email": f"sales@{p['key']}.example.com",
                "roles": ["sales"],
            }
            for p in partner_entries
        ],
        "channels": [{"key": CHANNEL, "brand": BRAND, "kind": "webhook", "token": TOKEN}],
        **routing_entries([p["key"] for p in partner_entries], routing),
    }


def routing_entries(partner_keys: list[str], routing: str) -> dict[str, list[dict[str, Any]]]:
    fallback = {"key": "fallback", "brand": BRAND, "order": 1000, "then": {"dispatcher": True}}
    if routing == "dispatcher" or not partner_keys:
        return {"zones": [], "rules": [fallback]}
    prefixes = [f"{n:02d}" for n in range(10, 100)]
    pool = max(1, min(len(partner_keys), round(len(partner_keys) / len(prefixes) * 1.1)))
    zones = [
        {"key": f"cap-{p}", "brand": BRAND, "country": "IT", "postal_codes": [f"{p}*"]}
        for p in prefixes
    ]
    rules = [
        {
            "key": f"cap-{p}",
            "brand": BRAND,
            "order": i,
            "when": {"zone": f"cap-{p}"},
            "then": {
                "offer_to": [partner_keys[(i * pool + j) % len(partner_keys)] for j in range(pool)],
                "strategy": "round_robin",
            },
        }
        for i, p in enumerate(prefixes)
    ]
    return {"zones": zones, "rules": [*rules, fallback]}


# --------------------------------------------------------------------------- database


def database_url(admin_url: str, name: str) -> str:
    return f"{admin_url.rsplit('/', 1)[0]}/{name}"


def recreate_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup_django(url: str, source: Path) -> None:
    os.environ["LEADHUB_DATABASE_URL"] = url
    os.environ["LEADHUB_LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(source))
    import django

    django.setup()


def populate(partners: int, contacts: int, routing: str) -> None:
    from django.core.management import call_command

    from leadhub.contacts.models import Contact
    from leadhub.network.load import load_network
    from leadhub.orgs.models import Organisation

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    counts = load_network(network(partners, routing))
    brand = Organisation.objects.get(key=BRAND)
    batch: list[Contact] = []
    for row in contact_rows(contacts):
        batch.append(Contact(owner=brand, **row))
        if len(batch) == 5000:
            Contact.objects.bulk_create(batch)
            batch = []
    Contact.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    log(f"database ready in {time.monotonic() - started:.0f} s: {summary}, {contacts} contacts")


@dataclass(frozen=True)
class Stored:
    enquiries: int
    receipts: int
    contacts: int
    duplicate_numbers: int
    number_gaps: int


def stored() -> Stored:
    """What the database holds; call it while no intake runs (it counts numbers in use)."""
    from django.db.models import Count

    from leadhub.contacts.models import Contact
    from leadhub.enquiries.models import DailyCounter, Enquiry
    from leadhub.intake.models import IntakeReceipt

    duplicates = Enquiry.objects.values("number").annotate(n=Count("id")).filter(n__gt=1).count()
    # Numbers are gapless: each day's counter equals the enquiries numbered on that day.
    gaps = 0
    for counter in DailyCounter.objects.all():
        used = Enquiry.objects.filter(number__startswith=f"{counter.day:%y%m%d}/").count()
        gaps += counter.last - used
    return Stored(
        enquiries=Enquiry.objects.count(),
        receipts=IntakeReceipt.objects.count(),
        contacts=Contact.objects.count(),
        duplicate_numbers=duplicates,
        number_gaps=gaps,
    )


def waiting_checks() -> int:
    """Duplicate checks queued and not run yet (D1): a worker that keeps up leaves few."""
    from leadhub.duplicates.models import PendingCheck

    return PendingCheck.objects.filter(done_at=None).count()


def queries_per_intake() -> list[str]:
    """The SQL statements of one intake request, run in-process through the test client.

    Django lists BEGIN, SAVEPOINT and COMMIT too. The second request is counted: like every
    request after a process's first, it finds the channel kept (intake.lookup).
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    body = json.dumps(sample_payload(f"inprocess-{time.time_ns()}")).encode()
    client = Client()
    headers = {"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": f"k-{time.time_ns()}"}
    url = f"/api/v1/intake/{CHANNEL}/enquiries"
    # The first request pays for imports and caches; count the second.
    client.post(url, body, content_type="application/json", headers=headers)
    headers["Idempotency-Key"] += "-2"
    body = json.dumps(sample_payload(f"inprocess-{time.time_ns()}")).encode()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, body, content_type="application/json", headers=headers)
    if response.status_code != 201:
        raise SystemExit(f"in-process intake answered {response.status_code}: {response.content!r}")
    return [str(q["sql"]) for q in captured.captured_queries]


def sample_payload(external_id: str) -> dict[str, Any]:
    """The test world's standard payload (imported late: it needs Django set up)."""
    from leadhub.testing.world import payload

    return payload(external_id=external_id)


# --------------------------------------------------------------------------- wrk scripts

LUA_COMMON = r"""
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

local function thread_sum(name)
  local total = 0
  for _, t in ipairs(threads) do total = total + (t:get(name) or 0) end
  return total
end

local function find_error()
  for _, t in ipairs(threads) do
    local e = t:get("first_error")
    if e and e ~= "" then return e end
  end
  return ""
end

function done(summary, latency, requests)
  local e = summary.errors
  local msg = find_error():gsub('[%c"\\]', " ")
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "non2xx": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d, "created": %d, "replayed": %d, "other": %d, "first_error": "%s"}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout,
    thread_sum("created"), thread_sum("replayed"), thread_sum("other"), msg))
end
"""

LUA_INTAKE = r"""
local first = {"Luca", "Giulia", "Marco", "Anna", "Matteo", "Sara", "Lukas", "Lena", "Jonas",
               "Sophie", "Paolo", "Chiara", "Pierre", "Ewa"}
local last = {"Moretti", "Rossi", "Bianchi", "Gruber", "Huber", "Pichler", "Ferrari", "Mayr",
              "Hofer", "Romano", "Colombo", "M\195\188ller", "Dubois", "Nowak", "De Luca"}
local places = {
  {"39100", "Bolzano", "bz", "it"}, {"39012", "Merano", "bz", "de"},
  {"38122", "Trento", "tn", "it"}, {"20121", "Milano", "mi", "it"}}
local types = {"quote", "quote", "quote", "sample", "brochure", "appointment"}
local body_format = '{"type": "%s", "text": "Nine windows for a renovation, please call me ' ..
  'in the evening (request %s).", "contact": {"title": "", "first_name": "%s", ' ..
  '"last_name": "%s", "email": "%s.%s.%d@Example.com", "phone": "%s", "language": "%s", ' ..
  '"address": {"street": "Via Roma %d", "postal_code": "%s", "city": "%s", ' ..
  '"province": "%s", "country": "IT"}}, "referrer_url": "https://www.brand.example/windows", ' ..
  '"utm": {"source": "google", "medium": "cpc", "campaign": "autumn"}, "external_id": "%s"}'

counter = 0
created = 0
replayed = 0
other = 0
first_error = ""

function request()
  counter = counter + 1
  local n = RUN_BASE + tid * 100000000 + counter
  local id = string.format("%s-%d-%d", RUN_ID, tid, counter)
  local f = first[n % #first + 1]
  local l = last[math.floor(n / 3) % #last + 1]
  local p = places[math.floor(n / 7) % #places + 1]
  local phone
  if n % 2 == 0 then
    phone = string.format("0471 %06d", n % 1000000)
  else
    phone = string.format("+39 3%02d %07d", 20 + n % 80, n % 10000000)
  end
  -- Postal codes spread over Italy: 00000-09999 go to the dispatcher, the rest to zone pools.
  local cap = string.format("%05d", (n * 7919) % 100000)
  local body = string.format(body_format, types[n % #types + 1], id, f, l, f,
    l:gsub("[^%w]", ""), n, phone, p[4], n % 200 + 1, cap, p[2], p[3], id)
  return wrk.format("POST", PATH, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. TOKEN,
    ["Idempotency-Key"] = id,
  }, body)
end

function response(status, headers, body)
  if status == 201 then
    if headers["Idempotent-Replayed"] then replayed = replayed + 1 else created = created + 1 end
  else
    other = other + 1
    if first_error == "" then first_error = status .. " " .. string.sub(body or "", 1, 300) end
  end
end
"""


def lua_intake(run_id: str) -> str:
    # Each run sends other people (e-mails, phones, postal codes): repeating the last run's
    # would make every delivery a duplicate of every earlier run's (D1's worker, if it runs).
    base = time.time_ns() // 1000 % 10**7 * 10**3
    constants = (
        f'RUN_ID = "{run_id}"\nRUN_BASE = {base}\nTOKEN = "{TOKEN}"\n'
        f'PATH = "/api/v1/intake/{CHANNEL}/enquiries"\n'
    )
    return constants + LUA_COMMON + LUA_INTAKE


# --------------------------------------------------------------------------- measuring


@dataclass(frozen=True)
class WrkResult:
    requests: int
    duration_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    non2xx: int
    socket_errors: int
    created: int
    replayed: int
    other: int
    first_error: str

    @property
    def rate(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0


def run_wrk(
    url: str, script: Path, *, duration: float, connections: int, threads: int, log_to: Path
) -> WrkResult:
    cmd = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={max(1, round(duration))}s",
        "--timeout=10s",
        "--latency",
        f"--script={script}",
        url,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    with log_to.open("a") as out:
        out.write(f"$ {' '.join(cmd)}\n{done.stdout}{done.stderr}\n")
    match = re.search(r"^BENCH_RESULT (\{.*\})$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    r = json.loads(match.group(1))
    return WrkResult(
        requests=r["requests"],
        duration_s=r["duration_us"] / 1e6,
        p50_ms=r["p50_us"] / 1e3,
        p90_ms=r["p90_us"] / 1e3,
        p99_ms=r["p99_us"] / 1e3,
        max_ms=r["max_us"] / 1e3,
        non2xx=r["non2xx"],
        socket_errors=r["connect"] + r["read"] + r["write"] + r["timeout"],
        created=r["created"],
        replayed=r["replayed"],
        other=r["other"],
        first_error=r["first_error"],
    )


def busy_cores(seconds: float) -> float:
    """Cores the whole machine keeps busy over the next `seconds`."""

    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
        idle = values[3] + values[4] + values[7]  # idle, iowait, steal
        return sum(values) - idle, sum(values)

    busy0, total0 = sample()
    time.sleep(seconds)
    busy1, total1 = sample()
    return (busy1 - busy0) / max(1, total1 - total0) * (os.cpu_count() or 1)


def wait_for_quiet(max_wait: float) -> bool:
    """Wait until nothing else keeps the machine busy (other people's tests, say)."""
    deadline = time.monotonic() + max_wait
    while True:
        busy = busy_cores(1.0)
        if busy <= DISTURBED:
            return True
        if time.monotonic() >= deadline:
            return False
        log(f"waiting for the machine to be quiet: {busy:.2f} cores busy")


def cpu_ticks() -> dict[int, tuple[str, int, int]]:
    """pid -> (command name, parent pid, user+system clock ticks) of every process."""
    found: dict[int, tuple[str, int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        found[int(entry.name)] = (name, int(fields[1]), int(fields[11]) + int(fields[12]))
    return found


class Sampler:
    """While a run lasts: CPU per process group, and what the database's backends wait on."""

    def __init__(
        self, db_url: str, db_name: str, server_pid: int, beside: dict[int, str] | None = None
    ) -> None:
        self.db_url, self.db_name, self.server_pid = db_url, db_name, server_pid
        self.beside = beside or {}  # pid -> group: workers of the product run beside it
        self.waits: Counter[str] = Counter()
        self.blocked: Counter[str] = Counter()
        self.holders: Counter[str] = Counter()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self.cpu: dict[str, float] = {}

    def __enter__(self) -> Sampler:
        self._before = cpu_ticks()
        # Last seen ticks of every process, so that a backend that ends during the run
        # (Django closes connections older than CONN_MAX_AGE) still counts.
        self._last = dict(self._before)
        self._stat_before = self._proc_stat()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self._children_before = usage.ru_utime + usage.ru_stime
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        elapsed = time.monotonic() - self._started
        self._last.update(cpu_ticks())
        hz = os.sysconf("SC_CLK_TCK")
        groups: Counter[str] = Counter()
        for pid, (name, ppid, ticks) in self._last.items():
            spent = ticks - self._before.get(pid, (name, ppid, 0))[2]
            if pid == self.server_pid or ppid == self.server_pid:
                groups["gunicorn"] += spent
            elif pid in self.beside:
                groups[self.beside[pid]] += spent
            elif name.startswith("postgres"):
                groups["postgres"] += spent
            elif pid == os.getpid():
                groups["bench"] += spent
            elif ppid == os.getpid():
                continue  # wrk: counted below from this process's children's usage
            else:
                groups["other"] += spent
        self.cpu = {k: v / hz / elapsed for k, v in groups.items()}
        # wrk has exited and been reaped by now: it is in this process's children's usage.
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu["wrk"] = (children.ru_utime + children.ru_stime - self._children_before) / elapsed
        cores = os.cpu_count() or 1
        stat = self._proc_stat()
        delta = {k: stat[k] - self._stat_before[k] for k in stat}
        total = max(1, sum(delta.values()))
        self.cpu["machine"] = (total - delta["idle"] - delta["steal"]) / total * cores
        self.cpu["steal"] = delta["steal"] / total * cores

    @staticmethod
    def _proc_stat() -> dict[str, int]:
        names = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
        stat = dict(zip(names, values, strict=True))
        stat["idle"] += stat.pop("iowait")
        return stat

    def _sample(self) -> None:
        # Per active backend: its wait; if it waits for a lock, the statement that waits and
        # the state of the backend holding the lock ("idle in transaction": the holder's
        # Python is busy between two statements of its transaction).
        query = """
            SELECT coalesce(a.wait_event_type || ':' || a.wait_event, 'running'),
                   CASE WHEN a.wait_event_type = 'Lock'
                        THEN left(regexp_replace(a.query, '\\s+', ' ', 'g'), 48) END,
                   (SELECT string_agg(b.state || coalesce(' ' || b.wait_event, ''), ',')
                      FROM pg_stat_activity b
                     WHERE a.wait_event_type = 'Lock' AND b.pid = ANY(pg_blocking_pids(a.pid)))
              FROM pg_stat_activity a
             WHERE a.datname = %s AND a.state = 'active'
               AND a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
        """
        with psycopg.connect(self.db_url, autocommit=True) as conn:
            while not self._stop.wait(0.05):
                rows = conn.execute(query, [self.db_name]).fetchall()
                self.samples += 1
                if self.samples % 10 == 0:
                    self._last.update(cpu_ticks())
                for wait, statement, holders in rows:
                    self.waits[str(wait)] += 1
                    if statement:
                        self.blocked[str(statement)] += 1
                        self.holders.update(str(holders or "?").split(","))

    def wait_summary(self) -> str:
        """Mean number of active backends per state, the biggest first."""
        if not self.samples:
            return ""
        parts = [
            f"{state} {n / self.samples:.1f}"
            for state, n in self.waits.most_common(4)
            if n / self.samples >= 0.05
        ]
        return ", ".join(parts) or "idle"

    def lock_summary(self) -> str:
        """Which statement waits for a lock most, and what the lock holders are doing."""
        if not self.blocked:
            return ""
        waiting = sum(self.blocked.values())
        statement, n = self.blocked.most_common(1)[0]
        holders = sum(self.holders.values())
        doing = ", ".join(f"{state} {k / holders:.0%}" for state, k in self.holders.most_common(3))
        return f"{n / waiting:.0%} of lock waits are `{statement}…`; holders: {doing}"


# --------------------------------------------------------------------------- server


def server_env(db_url: str, source: Path, duplicate_check: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        LEADHUB_DATABASE_URL=db_url,
        LEADHUB_LOG_LEVEL="WARNING",
        LEADHUB_DEBUG="0",
        LEADHUB_DUPLICATE_CHECK=duplicate_check,
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=os.pathsep.join([str(source), *filter(None, [env.get("PYTHONPATH")])]),
    )
    return env


class Server:
    def __init__(
        self,
        *,
        db_url: str,
        port: int,
        workers: int,
        threads: int,
        worker_class: str | None,
        source: Path,
        log_path: Path,
        duplicate_check: str = "on",
        duplicates_worker: bool = False,
    ) -> None:
        self.port, self.log_path = port, log_path
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ]
        if worker_class:
            cmd += ["--worker-class", worker_class]
        env = server_env(db_url, source, duplicate_check)
        with log_path.open("ab") as out:  # the error log, and Django's logging on stderr
            self.process = subprocess.Popen(cmd, cwd=source, env=env, stdout=out, stderr=out)
        self.wait_ready()
        self.worker: subprocess.Popen[bytes] | None = None
        if duplicates_worker:  # D1's worker, as `leadhub serve` runs it beside the web
            worker = [sys.executable, "-m", "django", "check_duplicates", "--loop"]
            with log_path.open("ab") as out:
                self.worker = subprocess.Popen(
                    [*worker, "--interval", "0.5"], cwd=source, env=env, stdout=out, stderr=out
                )

    @property
    def beside(self) -> dict[int, str]:
        return {self.worker.pid: "duplicates"} if self.worker else {}

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.base + HEALTH_PATH, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer {HEALTH_PATH} within {timeout:.0f} s")

    def errors(self) -> str:
        """How many requests failed with a traceback in the server's log, and the last error."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        failed = text.count("Internal Server Error")
        last = re.findall(r"^[\w.]+(?:Error|Exception): .*$", text, re.MULTILINE)
        if not failed and not last:
            return ""
        return f"{failed} server errors in the log; last: {last[-1] if last else '?'}"

    def stop(self) -> None:
        if self.worker is not None and self.worker.poll() is None:
            self.worker.terminate()
            self.worker.wait(timeout=20)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --------------------------------------------------------------------------- one set-up


@dataclass
class Run:
    health: WrkResult
    intake: WrkResult
    stored_delta: int
    receipts_delta: int
    duplicate_numbers: int
    number_gaps: int
    cpu: dict[str, float]
    health_cpu: dict[str, float]
    waits: str
    locks: str

    @property
    def disturbance(self) -> float:
        """CPU (cores) taken by processes outside the benchmark during either measurement."""
        return max(self.cpu.get("other", 0.0), self.health_cpu.get("other", 0.0))

    @property
    def ratio(self) -> float:
        return self.intake.rate / self.health.rate if self.health.rate else 0.0


@dataclass
class Setup:
    workers: int
    threads: int
    runs: list[Run] = field(default_factory=list)
    server_errors: str = ""

    @property
    def label(self) -> str:
        return f"{self.workers}\u00d7{self.threads}"

    @property
    def used(self) -> list[Run]:
        """The runs the medians come from: those no other work disturbed, if there are any."""
        return [r for r in self.runs if r.disturbance <= DISTURBED] or self.runs

    def median(self, pick: Callable[[Run], float]) -> float:
        return float(statistics.median(pick(r) for r in self.used))

    @property
    def intake_rate(self) -> float:
        return self.median(lambda r: r.intake.rate)


def bench_setup(setup: Setup, args: argparse.Namespace, db_url: str, work: Path) -> None:
    server = Server(
        db_url=db_url,
        port=args.port,
        workers=setup.workers,
        threads=setup.threads,
        worker_class=args.worker_class,
        source=args.source,
        log_path=work / f"gunicorn-{setup.workers}x{setup.threads}.log",
        duplicate_check=args.duplicate_check,
        duplicates_worker=args.duplicates_worker,
    )
    health_lua = work / "health.lua"
    health_lua.write_text(LUA_COMMON)
    wrk_log = work / "wrk.log"
    try:
        log(f"{setup.label}: gunicorn up, warming up")
        for n in range(1 + args.repeat):
            warm = n == 0
            duration = args.warmup if warm else args.duration
            intake_lua = work / f"intake-{n}.lua"
            intake_lua.write_text(lua_intake(f"r{time.time_ns():x}"))
            if not warm and not wait_for_quiet(args.quiet_wait):
                log(f"the machine is busy with other work; measuring anyway (>{DISTURBED} cores)")
            with Sampler(db_url, args.db_name, server.process.pid, server.beside) as health_sampler:
                health = run_wrk(
                    server.base + HEALTH_PATH,
                    health_lua,
                    duration=duration,
                    connections=args.connections,
                    threads=args.wrk_threads,
                    log_to=wrk_log,
                )
            before = stored()
            with Sampler(db_url, args.db_name, server.process.pid, server.beside) as sampler:
                intake = run_wrk(
                    server.base + f"/api/v1/intake/{CHANNEL}/enquiries",
                    intake_lua,
                    duration=duration,
                    connections=args.connections,
                    threads=args.wrk_threads,
                    log_to=wrk_log,
                )
            time.sleep(2)  # requests cut off by wrk's deadline finish on the server
            after = stored()
            if warm:
                continue
            run = Run(
                health=health,
                intake=intake,
                stored_delta=after.enquiries - before.enquiries,
                receipts_delta=after.receipts - before.receipts,
                duplicate_numbers=after.duplicate_numbers,
                number_gaps=after.number_gaps,
                cpu=sampler.cpu,
                health_cpu=health_sampler.cpu,
                waits=sampler.wait_summary(),
                locks=sampler.lock_summary(),
            )
            setup.runs.append(run)
            log(
                f"{setup.label} run {n}: health {health.rate:.0f}/s, intake {intake.rate:.0f}/s "
                f"(p50 {intake.p50_ms:.1f} ms, p99 {intake.p99_ms:.1f} ms), "
                f"ratio {run.ratio:.0%}, stored {run.stored_delta} vs {intake.created} x 201, "
                f"non-2xx {intake.non2xx}/{health.non2xx}, socket errors "
                f"{intake.socket_errors}/{health.socket_errors}; CPU "
                + ", ".join(f"{k} {v:.2f}" for k, v in sorted(run.cpu.items()))
                + f"; backends: {run.waits}"
                + (f"; {run.locks}" if run.locks else "")
            )
            if server.worker is not None:
                log(f"  duplicate checks still waiting after the run: {waiting_checks()}")
            problems = check_run(run, args.connections)
            for problem in problems:
                log(f"  PROBLEM: {problem}")
    finally:
        server.stop()
        setup.server_errors = server.errors()
        if setup.server_errors:
            log(f"{setup.label}: {setup.server_errors} (log: {server.log_path})")


def check_run(run: Run, connections: int) -> list[str]:
    problems: list[str] = []
    i = run.intake
    if i.non2xx or i.other:
        problems.append(f"{i.non2xx} non-2xx intake answers, first: {i.first_error}")
    if i.replayed:
        problems.append(f"{i.replayed} intake answers were replays (keys not unique)")
    if i.socket_errors or run.health.socket_errors:
        problems.append(
            f"socket errors: intake {i.socket_errors}, health {run.health.socket_errors}"
        )
    if run.health.non2xx:
        problems.append(f"{run.health.non2xx} non-2xx health answers")
    # wrk stops counting at its deadline; up to one request per connection finishes later.
    if not 0 <= run.stored_delta - i.created <= connections:
        problems.append(f"{run.stored_delta} enquiries stored but {i.created} x 201 counted")
    if run.receipts_delta != run.stored_delta:
        problems.append(f"{run.receipts_delta} receipts for {run.stored_delta} enquiries")
    if run.duplicate_numbers:
        problems.append(f"{run.duplicate_numbers} enquiry numbers appear more than once")
    if run.number_gaps:
        problems.append(f"{run.number_gaps} enquiry numbers allocated but not in use (gaps)")
    return problems


# --------------------------------------------------------------------------- report

ROUTING = {
    "offers": "90 postal-code zones, each a rule offering round robin to a pool of about 11 "
    "partners, 10% of codes falling through to the dispatcher",
    "dispatcher": "one rule, everything to the dispatcher queue",
}


def machine(admin_url: str) -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    ram_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            ram_kb = int(line.split()[1])
    with psycopg.connect(admin_url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        pg = str(row[0]) if row else "?"
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return {
        "date": dt.date.today().isoformat(),
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "ram": f"{ram_kb / 1024 / 1024:.0f} GiB",
        "postgres": pg,
        "python": platform.python_version(),
        "wrk": (wrk.stdout or wrk.stderr).split("[")[0].strip().removeprefix("wrk "),
    }


def cpu_of(group: str) -> Callable[[Run], float]:
    return lambda run: run.cpu.get(group, 0.0)


def table(setups: list[Setup]) -> str:
    lines = [
        "| workers\u00d7threads | health req/s | intake enquiries/s | intake p50 | intake p99 "
        "| health p50 / p99 | ratio | non-2xx | intake CPU, cores: gunicorn / postgres / wrk / all "
        "| other load | runs |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for s in setups:
        errors = sum(r.intake.non2xx + r.intake.socket_errors for r in s.runs)
        cpu = " / ".join(
            f"{s.median(cpu_of(k)):.2f}" for k in ("gunicorn", "postgres", "wrk", "machine")
        )
        lines.append(
            f"| {s.label} | {s.median(lambda r: r.health.rate):,.0f} "
            f"| **{s.intake_rate:,.0f}** "
            f"| {s.median(lambda r: r.intake.p50_ms):.1f} ms "
            f"| {s.median(lambda r: r.intake.p99_ms):.1f} ms "
            f"| {s.median(lambda r: r.health.p50_ms):.1f} / "
            f"{s.median(lambda r: r.health.p99_ms):.1f} ms "
            f"| {s.median(lambda r: r.ratio):.0%} | {errors} | {cpu} "
            f"| {s.median(lambda r: r.disturbance):.2f} | {len(s.used)} of {len(s.runs)} |"
        )
    return "\n".join(lines)


def report(
    setups: list[Setup],
    args: argparse.Namespace,
    facts: dict[str, str],
    queries: list[str],
) -> str:
    best = max(setups, key=lambda s: s.intake_rate)
    rate, share = best.intake_rate, best.median(lambda r: r.ratio)
    met = rate >= TARGET_RATE and share >= TARGET_SHARE

    def one(setup: Setup, r: Run) -> str:
        mark = " (disturbed, left out)" if r not in setup.used else ""
        return (
            f"{r.intake.rate:.0f} vs {r.health.rate:,.0f}/s, other load {r.disturbance:.2f}{mark}"
        )

    runs = "\n".join(
        f"- {s.label}: " + "; ".join(one(s, r) for r in s.runs) + "."
        f" Active backends (mean, first used run): {s.used[0].waits}."
        + (f" {s.used[0].locks[0].upper()}{s.used[0].locks[1:]}." if s.used[0].locks else "")
        for s in setups
        if s.runs
    )
    matrix = ",".join(f"{s.workers}x{s.threads}" for s in setups)
    command = (
        f".venv/bin/python bench/intake.py --duration {args.duration:g} "
        f"--connections {args.connections} --repeat {args.repeat}"
        + (
            f" --matrix {matrix}"
            if len(setups) > 1
            else f" --workers {best.workers} --threads {best.threads}"
        )
        + (f" --worker-class {args.worker_class}" if args.worker_class else "")
        + (f" --routing {args.routing}" if args.routing != "offers" else "")
        + (" --duplicate-check off" if args.duplicate_check == "off" else "")
        + (" --duplicates-worker" if args.duplicates_worker else "")
    )
    errors = "".join(
        f"Server errors ({s.label}): {s.server_errors}.\n" for s in setups if s.server_errors
    )
    checked = sum(r.stored_delta for s in setups for r in s.runs)
    created = sum(r.intake.created for s in setups for r in s.runs)
    return f"""{DOC_START}
Latest run, {facts["date"]}: {facts["cores"]} cores ({facts["cpu"]}), {facts["ram"]} RAM,
PostgreSQL {facts["postgres"]}, Python {facts["python"]}, wrk {facts["wrk"]}; server, database
and load generator on the same machine.
Code: {facts["code"]}.
Data: 1 brand, {args.partners:,} partners (a user each), {args.contacts:,} contacts; routing:
{ROUTING[args.routing]}.
Load: `wrk --threads {args.wrk_threads} --connections {args.connections}`, {args.duration:g} s per
endpoint and run, {args.repeat} run(s) per set-up after a {args.warmup:g} s warm-up; medians.
"Other load" is the CPU (cores) that processes outside the benchmark took during a run; runs
above {DISTURBED} cores are left out of the medians when the set-up has undisturbed runs.

```
{command}
```

{table(setups)}

Best set-up: **{best.label}** (gunicorn {best.workers} worker(s) \u00d7 {best.threads} thread(s)):
**{rate:,.0f} enquiries/s**, {share:.0%} of the health endpoint's rate. Target (\u2265 {TARGET_RATE:.0f}
enquiries/s and \u2265 {TARGET_SHARE:.0%}): **{"met" if met else "NOT met"}**.
SQL statements per intake request (in-process, CaptureQueriesContext, with BEGIN and COMMIT;
the channel kept from an earlier request): {len(queries)}.
{errors}Database check: {checked:,} enquiries stored for {created:,} `201` answers counted by wrk
(the difference is requests still in flight at wrk's deadline); enquiry numbers unique and
without gaps.

Individual runs (intake enquiries/s vs health requests/s):

{runs}
{DOC_END}"""


def update_doc(block: str) -> None:
    text = DOC.read_text() if DOC.exists() else ""
    if DOC_START in text and DOC_END in text:
        head, rest = text.split(DOC_START, 1)
        text = head + block + rest.split(DOC_END, 1)[1]
    else:
        text = (text.rstrip() + "\n\n" if text else "# Benchmarks\n\n") + (
            f"## Intake throughput (issue 2)\n\n{block}\n"
        )
    DOC.write_text(text)


STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.0f} s] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--duration", type=float, default=20, help="seconds per endpoint and run")
    p.add_argument("--connections", type=int, default=16, help="wrk connections")
    p.add_argument("--wrk-threads", type=int, default=2, help="wrk threads")
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    p.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    p.add_argument("--worker-class", help="gunicorn worker class (default: its own choice)")
    p.add_argument("--matrix", help="several set-ups, e.g. 4x1,3x2,2x4 (overrides the above)")
    p.add_argument("--repeat", type=int, default=3, help="measured runs per set-up")
    p.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per endpoint")
    p.add_argument(
        "--quiet-wait",
        type=float,
        default=60,
        help="before each run, wait up to this many seconds for other work on the machine to stop",
    )
    p.add_argument("--partners", type=int, default=1000)
    p.add_argument("--contacts", type=int, default=100_000)
    p.add_argument("--port", type=int, default=8765)
    p.add_argument(
        "--admin-url", default=os.environ.get("LEADHUB_BENCH_ADMIN_URL", DEFAULT_ADMIN_URL)
    )
    p.add_argument("--db-name", default="leadhub_bench")
    p.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    p.add_argument("--reuse-db", action="store_true", help="use a database kept by --keep-db")
    p.add_argument("--no-doc", action="store_true", help=f"do not update {DOC.relative_to(ROOT)}")
    p.add_argument(
        "--routing",
        choices=["offers", "dispatcher"],
        default="offers",
        help="rules of the network: zone pools offered to partners, or the dispatcher only",
    )
    p.add_argument(
        "--duplicate-check",
        choices=["on", "off"],
        default="on",
        help="LEADHUB_DUPLICATE_CHECK of the server: on queues a check per delivery (D1)",
    )
    p.add_argument(
        "--duplicates-worker",
        action="store_true",
        help="run D1's worker (check_duplicates --loop) beside the server, as `leadhub serve` does",
    )
    p.add_argument(
        "--source",
        type=Path,
        default=ROOT,
        help="the checkout whose code is served (default: this one), e.g. a `git archive` export",
    )
    args = p.parse_args(argv)
    if args.matrix:
        args.setups = [tuple(int(n) for n in item.split("x")) for item in args.matrix.split(",")]
    else:
        args.setups = [(args.workers, args.threads)]
    args.source = args.source.resolve()
    return args


def describe_source(source: Path) -> str:
    """Which code runs: the commit of a checkout, or the note an exported tree carries."""
    note = source / "BENCH_SOURCE"
    if note.exists():
        return note.read_text().strip()
    if not (source / ".git").exists():
        return str(source)
    head = subprocess.run(
        ["git", "-C", str(source), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(source), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"commit {head}" + (" with uncommitted changes" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    db_url = database_url(args.admin_url, args.db_name)
    facts = machine(args.admin_url)
    if not args.reuse_db:
        log(f"creating database {args.db_name}")
        recreate_database(args.admin_url, args.db_name)
    facts["code"] = describe_source(args.source)
    log(f"benchmarking {facts['code']}")
    setup_django(db_url, args.source)
    setups = [Setup(workers=w, threads=t) for w, t in args.setups]
    work = Path(tempfile.mkdtemp(prefix="leadhub-bench-"))
    log(f"server logs and wrk output in {work}")
    try:
        if not args.reuse_db:
            populate(args.partners, args.contacts, args.routing)
        queries = queries_per_intake()
        log(f"{len(queries)} SQL statements per intake request:")
        for q in queries:
            log(f"  {q[:140]}")
        for setup in setups:
            bench_setup(setup, args, db_url, work)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            drop_database(args.admin_url, args.db_name)
            log(f"dropped database {args.db_name}")
    results = work / "results.json"
    results.write_text(
        json.dumps(
            {
                "machine": facts,
                "queries": queries,
                "setups": [
                    {
                        "workers": s.workers,
                        "threads": s.threads,
                        "runs": [asdict(r) for r in s.runs],
                    }
                    for s in setups
                ],
            },
            indent=1,
        )
    )
    log(f"raw results in {results}")
    block = report(setups, args, facts, queries)
    print(block)
    if not args.no_doc:
        update_doc(block)
        log(f"updated {DOC.relative_to(ROOT)}")
    failed = [p for s in setups for r in s.runs for p in check_run(r, args.connections)]
    return 1 if failed else 0


def stop_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks: server, database


if __name__ == "__main__":
    # Also when started in the background, where the shell leaves SIGINT ignored.
    signal.signal(signal.SIGINT, stop_on_signal)
    signal.signal(signal.SIGTERM, stop_on_signal)
    sys.exit(main())
