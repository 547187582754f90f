"""Category rights (B9): what a user sees of each enquiry category within their organisation.

A category is an enquiry type. A user's level per category comes from their explicit
rights (`*` sets their default), else from their roles: sales advisors see what is
assigned to their unit (and units below it) or to them, every other role sees all.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import CategoryRight, Organisation, OrgUnit, RightLevel, User

ROLES_SEEING_ALL = ("admin", "dispatcher", "manager", "viewer")


def default_level(user: User) -> RightLevel:
    return RightLevel.ALL if user.has_role(*ROLES_SEEING_ALL) else RightLevel.UNITS


def levels_by_category(user: User, categories: Iterable[str]) -> dict[str, RightLevel]:
    # Read once per user object, i.e. once per request: a page asks several times (its
    # list, its offers, the header), always for the same answer.
    explicit: dict[str, str] | None = getattr(user, "_category_rights", None)
    if explicit is None:
        explicit = dict(CategoryRight.objects.filter(user=user).values_list("category", "level"))
        user._category_rights = explicit  # type: ignore[attr-defined]
    fallback = RightLevel(explicit.get("*", default_level(user)))
    return {c: RightLevel(explicit.get(c, fallback)) for c in categories}


def unit_subtree(user: User) -> set[int]:
    """The user's unit and every unit below it."""
    if user.unit_id is None:
        return set()
    children: dict[int | None, list[int]] = {}
    for pk, parent in OrgUnit.objects.filter(organisation=user.organisation).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), [user.unit_id]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo += children.get(pk, [])
    return found


def categories_without_all(organisation: Organisation, categories: Iterable[str]) -> list[str]:
    """Categories in which no active user of the organisation sees everything (B9 warning)."""
    categories = list(categories)
    users = list(User.objects.filter(organisation=organisation, is_active=True))
    explicit: dict[int, dict[str, str]] = {}
    # One read of every user's rights, not one per user and category: this runs on admins'
    # list page.
    for user_id, category, level in CategoryRight.objects.filter(user__in=users).values_list(
        "user_id", "category", "level"
    ):
        explicit.setdefault(user_id, {})[category] = level
    seeing_all: set[str] = set()
    for u in users:
        rights = explicit.get(u.pk, {})
        fallback = rights.get("*", default_level(u))
        seeing_all |= {c for c in categories if rights.get(c, fallback) == RightLevel.ALL}
    return [c for c in categories if c not in seeing_all]
