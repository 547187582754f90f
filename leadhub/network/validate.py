"""Checks across the entries of a network file and against what is already stored.

Pure: the database is represented by a `Known` snapshot, so every rule is testable
without one. Every problem is reported with its path, e.g. "users[3].unit".
"""

from __future__ import annotations

import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from leadhub.lib.workingtime import WorkingHoursError, make_calendar
from leadhub.routing.postcodes import PostcodePatternError, parse_postcode_pattern

from .schema import NetworkFile, OrgEntry, When


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Known:
    """Keys already in the database, merged with the file's own before cross-checks."""

    orgs: dict[str, str] = field(default_factory=dict)  # key -> "brand" | "partner"
    units: set[tuple[str, str]] = field(default_factory=set)  # (org, unit)
    users: dict[str, str] = field(default_factory=dict)  # username -> org
    zones: set[tuple[str, str]] = field(default_factory=set)  # (brand, zone)
    channels: dict[str, str] = field(default_factory=dict)  # channel -> brand
    partnerships: set[tuple[str, str]] = field(default_factory=set)  # (partner, brand)


def check(net: NetworkFile, known: Known) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    k = Known(
        orgs=dict(known.orgs),
        units=set(known.units),
        users=dict(known.users),
        zones=set(known.zones),
        channels=dict(known.channels),
        partnerships=set(known.partnerships),
    )
    problems += _duplicates("brands/partners", [o.key for o in [*net.brands, *net.partners]])
    problems += _duplicates("users", [u.username for u in net.users])
    problems += _duplicates("channels", [c.key for c in net.channels])
    problems += _duplicates("units", [f"{u.org}/{u.key}" for u in net.units])
    problems += _duplicates("zones", [f"{z.brand}/{z.key}" for z in net.zones])
    problems += _duplicates("rules", [f"{r.brand}/{r.key}" for r in net.rules])

    for kind, orgs in (("brand", net.brands), ("partner", net.partners)):
        for i, org in enumerate(orgs):
            path = f"{kind}s[{i}]"
            stored = known.orgs.get(org.key)
            if stored and stored != kind:
                add(Problem(f"{path}.key", f"{org.key!r} is already stored as a {stored}"))
            problems += _calendar_problems(path, org)
            k.orgs[org.key] = kind
    for i, p in enumerate(net.partners):
        for j, brand in enumerate(p.brands):
            if k.orgs.get(brand) != "brand":
                add(Problem(f"partners[{i}].brands[{j}]", f"unknown brand {brand!r}"))
            k.partnerships.add((p.key, brand))

    k.units |= {(u.org, u.key) for u in net.units}
    for i, u in enumerate(net.units):
        if u.org not in k.orgs:
            add(Problem(f"units[{i}].org", f"unknown organisation {u.org!r}"))
        if u.parent and (u.org, u.parent) not in k.units:
            add(Problem(f"units[{i}].parent", f"unknown unit {u.parent!r} of {u.org!r}"))
    problems += _unit_cycles(net)

    for i, user in enumerate(net.users):
        stored_org = known.users.get(user.username)
        if user.org not in k.orgs:
            add(Problem(f"users[{i}].org", f"unknown organisation {user.org!r}"))
        elif stored_org and stored_org != user.org:
            add(Problem(f"users[{i}].org", f"user already belongs to {stored_org!r}"))
        if user.unit and (user.org, user.unit) not in k.units:
            add(Problem(f"users[{i}].unit", f"unknown unit {user.unit!r} of {user.org!r}"))
        k.users[user.username] = user.org

    for i, z in enumerate(net.zones):
        _need_brand(k, z.brand, f"zones[{i}].brand", add)
        problems += _postcode_problems(f"zones[{i}].postal_codes", z.postal_codes)
        k.zones.add((z.brand, z.key))

    for i, c in enumerate(net.channels):
        if c.kind == "erp":  # an organisation's own ERP: a brand's or a partner's (0035)
            if c.brand not in k.orgs:
                add(Problem(f"channels[{i}].brand", f"unknown organisation {c.brand!r}"))
        else:
            _need_brand(k, c.brand, f"channels[{i}].brand", add)
        owner = known.channels.get(c.key)
        if owner and owner != c.brand:
            add(Problem(f"channels[{i}].key", f"channel {c.key!r} belongs to brand {owner!r}"))
        k.channels[c.key] = c.brand

    for i, a in enumerate(net.absences):
        if a.user not in k.users:
            add(Problem(f"absences[{i}].user", f"unknown user {a.user!r}"))
        elif a.substitute and k.users.get(a.substitute) != k.users[a.user]:
            add(
                Problem(
                    f"absences[{i}].substitute",
                    f"{a.substitute!r} is not a user of {k.users[a.user]!r}",
                )
            )
        if a.substitute == a.user:
            add(Problem(f"absences[{i}].substitute", "a user cannot stand in for themselves"))

    for i, r in enumerate(net.rules):
        path = f"rules[{i}]"
        if not _need_brand(k, r.brand, f"{path}.brand", add):
            continue
        problems += _when_problems(f"{path}.when", r.when, r.brand, k)
        t = r.then
        for j, partner in enumerate(t.offer_to or []):
            if (partner, r.brand) not in k.partnerships:
                add(
                    Problem(
                        f"{path}.then.offer_to[{j}]", f"{partner!r} is not a partner of {r.brand!r}"
                    )
                )
        if t.assign_to_user and k.users.get(t.assign_to_user) != r.brand:
            add(
                Problem(
                    f"{path}.then.assign_to_user",
                    f"{t.assign_to_user!r} is not a user of {r.brand!r}",
                )
            )
        if t.assign_to_unit and (r.brand, t.assign_to_unit) not in k.units:
            add(
                Problem(
                    f"{path}.then.assign_to_unit",
                    f"{t.assign_to_unit!r} is not a unit of {r.brand!r}",
                )
            )
    return problems


def _need_brand(k: Known, key: str, path: str, add: Callable[[Problem], None]) -> bool:
    if k.orgs.get(key) == "brand":
        return True
    add(Problem(path, f"unknown brand {key!r}"))
    return False


def _duplicates(what: str, keys: Iterable[str]) -> list[Problem]:
    return [
        Problem(what, f"{key!r} appears {n} times") for key, n in Counter(keys).items() if n > 1
    ]


def _calendar_problems(path: str, org: OrgEntry) -> list[Problem]:
    try:
        zoneinfo.ZoneInfo(org.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return [Problem(f"{path}.timezone", f"unknown time zone {org.timezone!r}")]
    try:
        make_calendar(
            timezone=org.timezone,
            working_hours=org.working_hours,
            country=org.country,
            subdivision=org.subdivision,
            closing_days=org.closing_days,
        )
    except WorkingHoursError as exc:
        return [Problem(f"{path}.working_hours", str(exc))]
    return []


def _postcode_problems(path: str, patterns: Iterable[str]) -> list[Problem]:
    problems = []
    for j, pattern in enumerate(patterns):
        try:
            parse_postcode_pattern(pattern)
        except PostcodePatternError as exc:
            problems.append(Problem(f"{path}[{j}]", str(exc)))
    return problems


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _when_problems(path: str, when: When, brand: str, k: Known) -> list[Problem]:
    problems = _postcode_problems(f"{path}.postal_code", _as_list(when.postal_code))
    for j, channel in enumerate(_as_list(when.channel)):
        if k.channels.get(channel) != brand:
            problems.append(
                Problem(f"{path}.channel[{j}]", f"{channel!r} is not a channel of {brand!r}")
            )
    for j, zone in enumerate(_as_list(when.zone)):
        if (brand, zone) not in k.zones:
            problems.append(Problem(f"{path}.zone[{j}]", f"{zone!r} is not a zone of {brand!r}"))
    return problems


def _unit_cycles(net: NetworkFile) -> list[Problem]:
    parent = {(u.org, u.key): (u.org, u.parent) for u in net.units if u.parent}
    problems = []
    for i, u in enumerate(net.units):
        seen = {(u.org, u.key)}
        node = parent.get((u.org, u.key))
        while node is not None:
            if node in seen:
                problems.append(
                    Problem(f"units[{i}].parent", f"unit {u.key!r} is its own ancestor")
                )
                break
            seen.add(node)
            node = parent.get(node)
    return problems
