"""`leadhub network load`: create or update the network from a file, all or nothing."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction
from django.db.models import F
from pydantic import ValidationError

from leadhub.feedback.models import FeedbackEndpoint
from leadhub.feedback.outbox import forget_endpoints
from leadhub.intake.lookup import forget as forget_channels
from leadhub.intake.models import Channel
from leadhub.orgs.models import CategoryRight, Organisation, OrgUnit, User
from leadhub.routing.models import Absence, Rule, Zone
from leadhub.routing.pool_read import forget as forget_pool_members

from .schema import BrandEntry, NetworkFile, OrgEntry, PartnerEntry, UserEntry
from .validate import Known, Problem, check


class NetworkFileError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def read_file(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise NetworkFileError([Problem(path.name, f"cannot be read: {exc}")]) from exc


def parse_network(data: Any) -> NetworkFile:
    """Validate the whole file, listing every problem by path; touches no database."""
    if data is None:
        data = {}
    try:
        net = NetworkFile.model_validate(data)
    except ValidationError as exc:
        raise NetworkFileError([_problem(e) for e in exc.errors()]) from exc
    return net


def _problem(err: Any) -> Problem:
    path = ""
    for part in err["loc"]:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return Problem(path or "file", err["msg"])


def known_from_db() -> Known:
    return Known(
        orgs=dict(Organisation.objects.values_list("key", "kind")),
        units=set(OrgUnit.objects.values_list("organisation__key", "key")),
        users=dict(
            User.objects.filter(organisation__isnull=False).values_list(
                "username", "organisation__key"
            )
        ),
        zones=set(Zone.objects.values_list("brand__key", "key")),
        channels=dict(Channel.objects.values_list("key", "brand__key")),
        partnerships=set(
            Organisation.brands.through.objects.values_list(
                "from_organisation__key", "to_organisation__key"
            )
        ),
    )


@transaction.atomic
def load_network(data: Any) -> Counter[str]:
    """Apply `data`; returns counts such as {"brands created": 1, "users unchanged": 4}."""
    net = parse_network(data)
    problems = check(net, known_from_db())
    if problems:
        raise NetworkFileError(problems)
    counts = _Loader().apply(net)
    forget_channels()  # this process at once; others within intake.lookup.CHANNEL_TTL
    forget_pool_members()  # likewise, within routing.pool_read.MEMBERS_TTL
    return counts


class _Loader:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.orgs: dict[str, Organisation] = {o.key: o for o in Organisation.objects.all()}

    def upsert(
        self, what: str, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
    ) -> Any:
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model._default_manager.create(**lookup, **values)
            self.counts[f"{what} created"] += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
            self.counts[f"{what} updated"] += 1
        else:
            self.counts[f"{what} unchanged"] += 1
        return obj

    def apply(self, net: NetworkFile) -> Counter[str]:
        for brand in net.brands:
            self.orgs[brand.key] = self.upsert(
                "brands", Organisation, {"key": brand.key}, self.org_values(brand, "brand")
            )
            if brand.status_feedback is not None:
                self.upsert(
                    "status feedback endpoints",
                    FeedbackEndpoint,
                    {"brand": self.orgs[brand.key]},
                    brand.status_feedback.model_dump(),
                )
                forget_endpoints()
        for partner in net.partners:
            self.orgs[partner.key] = self.upsert(
                "partners", Organisation, {"key": partner.key}, self.org_values(partner, "partner")
            )
        for partner in net.partners:
            org = self.orgs[partner.key]
            wanted = {self.orgs[b].pk for b in partner.brands}
            if set(org.brands.values_list("pk", flat=True)) != wanted:
                org.brands.set(wanted)
        self.apply_units(net)
        for u in net.users:
            self.apply_user(u)
        before = self.routing_changes()
        for z in net.zones:
            self.upsert(
                "zones",
                Zone,
                {"brand": self.orgs[z.brand], "key": z.key},
                {"country": z.country, "postal_codes": z.postal_codes, "provinces": z.provinces},
            )
        for c in net.channels:
            self.upsert(
                "channels",
                Channel,
                {"key": c.key},
                {
                    "brand": self.orgs[c.brand],
                    "kind": c.kind,
                    "token": c.token,
                    "settings": c.settings,
                },
            )
        for r in net.rules:
            self.upsert(
                "rules",
                Rule,
                {"brand": self.orgs[r.brand], "key": r.key},
                {
                    "order": r.order,
                    "when": r.when.model_dump(exclude_none=True),
                    "then": r.then.model_dump(exclude_none=True),
                },
            )
        self.apply_absences(net)
        if self.routing_changes() != before:
            # Compiled rules are cached per process by version: make every process rebuild.
            changed = {
                self.orgs[key].pk
                for key in [z.brand for z in net.zones] + [r.brand for r in net.rules]
            }
            Organisation.objects.filter(pk__in=changed).update(
                routing_version=F("routing_version") + 1
            )
        return self.counts

    def apply_absences(self, net: NetworkFile) -> None:
        by_user: dict[str, list[Any]] = {}
        for a in net.absences:
            by_user.setdefault(a.user, []).append(a)
        for username, entries in by_user.items():
            user = User.objects.get(username=username)
            subs = {e.substitute for e in entries if e.substitute}
            ids = dict(User.objects.filter(username__in=subs).values_list("username", "pk"))
            wanted = sorted(
                [
                    (e.starts_on, e.ends_on, list(e.weekdays), ids.get(e.substitute or ""))
                    for e in entries
                ],
                key=repr,  # dates and None do not compare; their reprs do, stably
            )
            stored = sorted(
                [
                    (a.starts_on, a.ends_on, list(a.weekdays), a.substitute_id)
                    for a in user.absences.all()
                ],
                key=repr,
            )
            if wanted == stored:
                self.counts["absences unchanged"] += len(entries)
                continue
            user.absences.all().delete()
            Absence.objects.bulk_create(
                Absence(user=user, starts_on=s, ends_on=e, weekdays=w, substitute_id=sub)
                for s, e, w, sub in wanted
            )
            self.counts["absences updated"] += len(entries)

    def routing_changes(self) -> int:
        return sum(
            n
            for what, n in self.counts.items()
            if what.split()[0] in ("zones", "rules") and not what.endswith("unchanged")
        )

    @staticmethod
    def org_values(org: OrgEntry, kind: str) -> dict[str, Any]:
        values: dict[str, Any] = {
            "kind": kind,
            "name": org.name,
            "country": org.country,
            "subdivision": org.subdivision or "",
            "timezone": org.timezone,
            "closing_days": [d.isoformat() for d in org.closing_days],
            "email": org.email or "",
            "customer_code": org.customer_code or "",
        }
        if org.working_hours is not None:
            values["working_hours"] = {k.lower(): v for k, v in org.working_hours.items()}
        if isinstance(org, BrandEntry):
            values["response_hours"] = org.response_hours
        if isinstance(org, PartnerEntry):
            values["grade"] = org.grade
            values["capacity"] = org.capacity
        return values

    def apply_units(self, net: NetworkFile) -> None:
        units: dict[tuple[str, str], OrgUnit] = {}
        for u in net.units:  # first without parents, so any order in the file works
            units[(u.org, u.key)] = self.upsert(
                "units", OrgUnit, {"organisation": self.orgs[u.org], "key": u.key}, {"name": u.name}
            )
        for u in net.units:
            unit = units[(u.org, u.key)]
            parent = (
                units.get((u.org, u.parent))
                or OrgUnit.objects.get(organisation=self.orgs[u.org], key=u.parent)
                if u.parent
                else None
            )
            if unit.parent_id != (parent.pk if parent else None):
                unit.parent = parent
                unit.save(update_fields=["parent"])

    def apply_user(self, u: UserEntry) -> None:
        org = self.orgs[u.org]
        unit = OrgUnit.objects.get(organisation=org, key=u.unit) if u.unit else None
        user: User = self.upsert(
            "users",
            User,
            {"username": u.username},
            {
                "organisation": org,
                "unit": unit,
                "email": u.email,
                "first_name": u.first_name,
                "last_name": u.last_name,
                "roles": list(u.roles),
                "language": u.language or "",
                "is_active": True,
            },
        )
        if u.rights is not None:
            wanted = dict(u.rights)
            stored = dict(CategoryRight.objects.filter(user=user).values_list("category", "level"))
            if stored != wanted:
                CategoryRight.objects.filter(user=user).delete()
                CategoryRight.objects.bulk_create(
                    CategoryRight(user=user, category=c, level=level) for c, level in wanted.items()
                )
                self.counts["users' rights updated"] += 1
        # Hashing is slow on purpose, so only (re)hash a password that is new or changed.
        if u.password and not user.check_password(u.password):
            user.set_password(u.password)
            user.save(update_fields=["password"])
        elif not u.password and not user.has_usable_password() and not user.password:
            user.set_unusable_password()
            user.save(update_fields=["password"])
