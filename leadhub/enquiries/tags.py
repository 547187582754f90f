"""Tags (C5): an organisation's keywords on its enquiries: create, rename, attach, detach."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from leadhub.orgs.models import User

from .history import record
from .models import Enquiry, HistoryCategory, Tag
from .reading import touch


class TagRefused(ValueError):
    pass


def _name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name or len(name) > 40:
        raise TagRefused("A tag has 1 to 40 characters.")
    return name


@transaction.atomic
def tag(enquiry: Enquiry, name: str, *, by: User) -> Tag:
    """Attach the tag `name` of the user's organisation, creating it on first use."""
    # "VIP" and "vip" are one tag: the first spelling used stays.
    clean, org = _name(name), by.organisation
    if org is None:
        raise TagRefused("Only users of an organisation tag enquiries.")
    found = Tag.objects.filter(organisation=org, name__iexact=clean).first()
    if found is None:
        found = Tag.objects.create(organisation=org, name=clean)
    if not found.enquiries.filter(pk=enquiry.pk).exists():
        found.enquiries.add(enquiry)
        entry = record(
            enquiry,
            category=HistoryCategory.ACTION,
            kind="tagged",
            message=f"Tagged “{found.name}”.",
            actor=by,
        )
        touch(enquiry, entry.at)
    return found


@transaction.atomic
def untag(enquiry: Enquiry, name: str, *, by: User) -> None:
    found = Tag.objects.filter(organisation=by.organisation, name__iexact=_name(name)).first()
    if found is not None and found.enquiries.filter(pk=enquiry.pk).exists():
        found.enquiries.remove(enquiry)
        entry = record(
            enquiry,
            category=HistoryCategory.ACTION,
            kind="untagged",
            message=f"Untagged “{found.name}”.",
            actor=by,
        )
        touch(enquiry, entry.at)


@transaction.atomic
def rename_tag(by: User, old: str, new: str) -> Tag:
    found = Tag.objects.filter(organisation=by.organisation, name=_name(old)).first()
    if found is None:
        raise TagRefused(f"There is no tag “{old}”.")
    found.name = _name(new)
    try:
        with transaction.atomic():
            found.save(update_fields=["name"])
    except IntegrityError as exc:
        raise TagRefused(f"A tag “{found.name}” exists already.") from exc
    return found


def tags_of(enquiry: Enquiry, by: User) -> list[str]:
    """The enquiry's tags of the user's organisation (another organisation's are private)."""
    return list(enquiry.tags.filter(organisation=by.organisation).values_list("name", flat=True))
