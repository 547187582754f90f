"""The options of the list's column filters (E1), all from the user's own organisation."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from leadhub.contacts.models import ContactKind
from leadhub.enquiries.models import EnquiryType, Status, Tag
from leadhub.orgs.models import OrgUnit, User

Choices = list[tuple[str, str | Promise]]


def filter_choices(user: User) -> dict[str, Choices]:
    people: Choices = [("me", _("Me")), ("none", _("Nobody yet"))]
    # Plain values, not model instances: a brand has hundreds of users (bench/list.py).
    colleagues = (
        User.objects.filter(organisation=user.organisation, is_active=True)
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name", "username")
        .values_list("pk", "first_name", "last_name", "username")
    )
    people += [
        (str(pk), f"{first} {last}".strip() or username) for pk, first, last, username in colleagues
    ]
    people += [
        (f"unit-{u.pk}", u.name)
        for u in OrgUnit.objects.filter(organisation=user.organisation).order_by("name")
    ]
    return {
        "contact_kind": list(ContactKind.choices),
        "type": list(EnquiryType.choices),
        "status": list(Status.choices),
        "responsible": people,
        "due": [
            ("overdue", _("Overdue")),
            ("today", _("Due today")),
            ("week", _("Due within 7 days")),
            ("none", _("No due date")),
        ],
        "tag": [
            (t, t)
            for t in Tag.objects.filter(organisation=user.organisation).values_list(
                "name", flat=True
            )
        ],
    }
