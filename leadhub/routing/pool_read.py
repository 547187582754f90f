"""A routing pool's members and the figures its strategy needs, cheaply per delivery.

Members (partner organisations and the brands they work for) change only with the network
file: they are kept per process for MEMBERS_TTL seconds, as channels are
(intake/lookup.py). The figures (a member's load, when a rule last offered to it) change
with every offer and are read in one raw statement, only when the strategy uses them: the
ORM spent more CPU building that query for each delivery than PostgreSQL spent running it
(docs/benchmarks.md, bench/intake_profile.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from time import monotonic
from typing import Any

from django.db import connection
from django.utils.dateparse import parse_datetime

from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.states import WORKABLE
from leadhub.orgs.models import Organisation

from .models import Offer, OfferStatus

MEMBERS_TTL = 5.0  # seconds


@dataclass(frozen=True)
class Member:
    partner: Organisation
    brands: frozenset[int]  # the brands it works for


# key -> (read at, the member or None for a key that is no partner)
_cache: dict[str, tuple[float, Member | None]] = {}


def members(keys: Iterable[str], *, together: Iterable[str] = ()) -> dict[str, Member]:
    """The partners among `keys`, with their brands (kept for MEMBERS_TTL seconds).

    When one must be read, the keys `together` that are not fresh are read in the same
    query: a brand's other pools, so that a process reads them once per MEMBERS_TTL rather
    than once per pool (ninety zones made most deliveries a miss)."""
    now = monotonic()
    out: dict[str, Member] = {}
    missing = []
    for key in keys:
        if not _fresh(key, now):
            missing.append(key)
        elif (member := _cache[key][1]) is not None:
            out[key] = member
    if missing:
        asked = set(missing)
        missing += [k for k in set(together) - asked if not _fresh(k, now)]
        partners = {p.pk: p for p in Organisation.objects.filter(key__in=missing, kind="partner")}
        brands: dict[int, set[int]] = {pk: set() for pk in partners}
        links = Organisation.brands.through.objects.filter(from_organisation_id__in=list(partners))
        for partner_id, brand_id in links.values_list("from_organisation_id", "to_organisation_id"):
            brands[partner_id].add(brand_id)
        by_key = {p.key: Member(p, frozenset(brands[p.pk])) for p in partners.values()}
        for key in missing:
            member = by_key.get(key)
            _cache[key] = (now, member)
            if member is not None and key in asked:
                out[key] = member
    return out


def _fresh(key: str, now: float) -> bool:
    hit = _cache.get(key)
    return hit is not None and now - hit[0] < MEMBERS_TTL


def forget() -> None:
    """Read the members afresh next time (after the network file changed them)."""
    _cache.clear()


@dataclass(frozen=True)
class Figures:
    load: dict[int, int]  # partner id -> open enquiries + pending offers
    last_offered: dict[tuple[str, int], datetime]  # (rule, partner id) -> when


def figures(
    partners: Sequence[Organisation],
    *,
    load_of_all: bool,
    round_robin: Sequence[tuple[str, frozenset[str]]],
) -> Figures:
    """Each partner's load (of all, or only of those with a capacity when `load_of_all` is
    false) and, per round-robin rule and its members' keys, when it last offered to each.

    A last offer is one entry of the (rule_key, partner, -created_at) index per member; a
    MAX grouped over the rule's offers would read all of them, ever more as they pile up."""
    wanted_load = [p for p in partners if load_of_all or p.capacity is not None]
    if not partners or (not wanted_load and not round_robin):
        return Figures({}, {})
    qn = connection.ops.quote_name
    # Code values written into the text, and the ids and keys as one array each on
    # PostgreSQL: one statement text whatever the pool's size, whose prepared generic plan
    # PostgreSQL keeps; it planned the IN-list form anew for every delivery (≈ 0.7 ms).
    open_statuses = ", ".join(f"'{s}'" for s in sorted(WORKABLE))  # still being worked on
    params: list[Any] = []
    load = (
        f"(SELECT COUNT(*) FROM {qn(Enquiry._meta.db_table)} e WHERE e.owner_id = o.id "
        f"AND e.status IN ({open_statuses}))"
        f" + (SELECT COUNT(*) FROM {qn(Offer._meta.db_table)} f "
        f"WHERE f.partner_id = o.id AND f.status = '{OfferStatus.PENDING.value}')"
    )
    if not wanted_load:  # nothing to count: no subqueries to plan
        load = "0"
    elif not load_of_all:
        load = f"CASE WHEN o.capacity IS NOT NULL THEN {load} ELSE 0 END"
    columns = [load]
    for rule, keys in round_robin:
        latest = (
            f"(SELECT f.created_at FROM {qn(Offer._meta.db_table)} f WHERE f.rule_key = %s "
            "AND f.partner_id = o.id ORDER BY f.created_at DESC LIMIT 1)"
        )
        if len(round_robin) > 1:  # only this rule's own members
            among, values = _among("o.key", sorted(keys))
            latest = f"CASE WHEN {among} THEN {latest} END"
            params += values
        params.append(rule)
        columns.append(latest)
    among, values = _among("o.id", [p.pk for p in partners])
    sql = (
        f"SELECT o.id, {', '.join(columns)} FROM {qn(Organisation._meta.db_table)} o WHERE {among}"
    )
    params += values
    out = Figures({}, {})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for partner_id, n, *latest in cursor.fetchall():
            out.load[partner_id] = int(n)
            for (rule, _keys), at in zip(round_robin, latest, strict=True):
                if at is not None:
                    out.last_offered[(rule, partner_id)] = _instant(at)
    return out


def _among(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """`column` is one of `values`: one array parameter on PostgreSQL, a list on SQLite."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]  # (its element type follows the values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _instant(value: datetime | str) -> datetime:
    """A timestamp from a raw row: PostgreSQL gives it aware, SQLite as UTC text."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"not a timestamp: {value!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
