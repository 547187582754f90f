"""`leadhub network dump`: the stored network in the network file's format.

Passwords are never written (only their hashes are stored); channel tokens are, since
they are shared secrets a re-load needs. Treat a dump as a secret.
"""

from __future__ import annotations

from typing import Any

from leadhub.feedback.models import FeedbackEndpoint
from leadhub.intake.models import Channel
from leadhub.orgs.models import Organisation, OrgUnit, User
from leadhub.routing.models import Absence, Rule, Zone


def _org(o: Organisation) -> dict[str, Any]:
    entry: dict[str, Any] = {"key": o.key, "name": o.name, "country": o.country}
    if o.subdivision:
        entry["subdivision"] = o.subdivision
    entry["timezone"] = o.timezone
    entry["working_hours"] = dict(o.working_hours)
    if o.closing_days:
        entry["closing_days"] = list(o.closing_days)
    if o.email:
        entry["email"] = o.email
    if o.customer_code:
        entry["customer_code"] = o.customer_code
    return entry


def dump_network() -> dict[str, Any]:
    orgs = list(Organisation.objects.prefetch_related("brands").order_by("key"))
    endpoints = {f.brand_id: f for f in FeedbackEndpoint.objects.all()}
    brands = [
        {**_org(o), "response_hours": o.response_hours}
        | (
            {"status_feedback": {"url": endpoints[o.pk].url, "secret": endpoints[o.pk].secret}}
            if o.pk in endpoints
            else {}
        )
        for o in orgs
        if o.is_brand
    ]
    partners = []
    for o in orgs:
        if o.is_brand:
            continue
        entry = _org(o)
        if o.grade is not None:
            entry["grade"] = o.grade
        if o.capacity is not None:
            entry["capacity"] = o.capacity
        entry["brands"] = sorted(b.key for b in o.brands.all())
        partners.append(entry)
    units = [
        {"key": u.key, "org": u.organisation.key, "name": u.name}
        | ({"parent": u.parent.key} if u.parent else {})
        for u in OrgUnit.objects.select_related("organisation", "parent").order_by(
            "organisation__key", "key"
        )
    ]
    users = []
    for user in (
        User.objects.filter(organisation__isnull=False)
        .select_related("organisation", "unit")
        .order_by("username")
    ):
        entry = {"username": user.username, "org": user.organisation.key}  # type: ignore[union-attr]
        if user.unit:
            entry["unit"] = user.unit.key
        entry |= {"email": user.email, "roles": list(user.roles)}
        for name in ("first_name", "last_name", "language"):
            if getattr(user, name):
                entry[name] = getattr(user, name)
        rights = dict(user.category_rights.values_list("category", "level"))
        if rights:
            entry["rights"] = rights
        users.append(entry)
    zones = [
        {"key": z.key, "brand": z.brand.key, "country": z.country, "postal_codes": z.postal_codes}
        | ({"provinces": z.provinces} if z.provinces else {})
        for z in Zone.objects.select_related("brand").order_by("brand__key", "key")
    ]
    channels = [
        {"key": c.key, "brand": c.brand.key, "kind": c.kind, "token": c.token}
        | ({"settings": c.settings} if c.settings else {})
        for c in Channel.objects.select_related("brand").order_by("key")
    ]
    rules = [
        {"key": r.key, "brand": r.brand.key, "order": r.order, "when": r.when, "then": r.then}
        for r in Rule.objects.select_related("brand").order_by("brand__key", "order", "key")
    ]
    absences = [
        {"user": a.user.username}
        | ({"starts_on": a.starts_on.isoformat()} if a.starts_on else {})
        | ({"ends_on": a.ends_on.isoformat()} if a.ends_on else {})
        | ({"weekdays": a.weekdays} if a.weekdays else {})
        | ({"substitute": a.substitute.username} if a.substitute else {})
        for a in Absence.objects.select_related("user", "substitute").order_by(
            "user__username", "id"
        )
    ]
    return {
        "brands": brands,
        "partners": partners,
        "units": units,
        "users": users,
        "zones": zones,
        "channels": channels,
        "rules": rules,
        "absences": absences,
    }
