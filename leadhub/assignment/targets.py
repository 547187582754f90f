"""Who an enquiry can be assigned to (B3): one search over users, units and partners by
name, customer code or e-mail, each result saying whether it is inside Leadhub or only
reachable by e-mail."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from email_validator import EmailNotValidError, validate_email

from leadhub.lib.words import every_word_in_some_field
from leadhub.orgs.models import Organisation, OrgKind, OrgUnit, User

LIMIT = 12


class Kind(enum.StrEnum):
    USER = "user"
    UNIT = "unit"
    PARTNER = "partner"
    EMAIL = "email"


@dataclass(frozen=True)
class Target:
    kind: Kind
    key: str  # username, unit key, partner key, or the e-mail address
    label: str
    detail: str  # what else identifies it: an e-mail, a customer code, a parent unit
    internal: bool  # works the enquiry in Leadhub; otherwise it is e-mailed (B6)
    email: str = ""

    @property
    def ref(self) -> str:
        """How forms and the API name it: "user:anna", "partner:dealer-a", "email:x@y.it"."""
        return f"{self.kind}:{self.key}"


def has_users() -> Exists:
    return Exists(User.objects.filter(organisation=OuterRef("pk"), is_active=True))


def find_targets(org: Organisation, query: str, *, partners: bool) -> list[Target]:
    """Targets in `org` (and, if `partners`, the partners of the brand `org`) matching
    `query`; a valid e-mail address nobody has is offered as an external target."""
    words = query.split()
    if not words:
        return []
    found: list[Target] = []
    users = User.objects.filter(organisation=org, is_active=True).filter(
        every_word_in_some_field(words, ("username", "first_name", "last_name", "email"))
    )
    for u in users.select_related("unit").order_by("last_name", "first_name")[:LIMIT]:
        detail = " · ".join(p for p in (u.email, u.unit.name if u.unit else "") if p)
        found.append(Target(Kind.USER, u.username, u.display_name(), detail, True, u.email))
    units = OrgUnit.objects.filter(organisation=org).filter(
        every_word_in_some_field(words, ("name", "key"))
    )
    for unit in units.select_related("parent").order_by("name")[:LIMIT]:
        parent = unit.parent.name if unit.parent else ""
        found.append(Target(Kind.UNIT, unit.key, unit.name, parent, True))
    if partners:
        matches = (
            Organisation.objects.filter(kind=OrgKind.PARTNER, brands=org)
            .filter(every_word_in_some_field(words, ("name", "customer_code", "email", "key")))
            .annotate(internal=has_users())
            .order_by("name")
        )
        for p in matches[:LIMIT]:
            detail = " · ".join(x for x in (p.customer_code, p.email) if x)
            found.append(Target(Kind.PARTNER, p.key, p.name, detail, p.internal, p.email))
    address = _email(query)
    if address and not any(t.email.lower() == address.lower() for t in found):
        found.append(Target(Kind.EMAIL, address, address, "", False, address))
    return found


def _email(text: str) -> str:
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return ""


class UnknownTarget(ValueError):
    pass


def resolve(org: Organisation, ref: str, *, partners: bool) -> Target:
    """The target a form or API call names ("kind:key"), checked against `org` again."""
    if not ref.strip():
        raise UnknownTarget("Choose whom to assign it to: search, then pick one of the results.")
    kind_text, _, key = ref.partition(":")
    try:
        kind = Kind(kind_text)
    except ValueError:
        raise UnknownTarget(
            "Name the target as user:<username>, unit:<key>, partner:<key> or email:<address>."
        ) from None
    if kind is Kind.EMAIL:
        address = _email(key)
        if not address:
            raise UnknownTarget(f"{key!r} is not an e-mail address.")
        return Target(Kind.EMAIL, address, address, "", False, address)
    if kind is Kind.USER:
        u = User.objects.filter(organisation=org, is_active=True, username=key).first()
        if u is None:
            raise UnknownTarget(f"{key!r} is not an active user of {org.name}.")
        return Target(kind, u.username, u.display_name(), u.email, True, u.email)
    if kind is Kind.UNIT:
        unit = OrgUnit.objects.filter(organisation=org, key=key).first()
        if unit is None:
            raise UnknownTarget(f"{key!r} is not a unit of {org.name}.")
        return Target(kind, unit.key, unit.name, "", True)
    partner = (
        Organisation.objects.filter(kind=OrgKind.PARTNER, brands=org, key=key)
        .annotate(internal=has_users())
        .first()
        if partners
        else None
    )
    if partner is None:
        raise UnknownTarget(f"{key!r} is not a partner of {org.name}.")
    return Target(kind, partner.key, partner.name, "", partner.internal, partner.email)
