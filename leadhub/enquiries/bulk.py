"""Saving changed fields of many enquiries: one UPDATE per distinct set of values.

Django's bulk_update builds a CASE per row and field, which costs more to compile than
the database takes to run it. A batch of routed enquiries shares few distinct values
(the same owner, status and deadline for all offers to one partner), so grouping is
both simpler SQL and far less Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from .models import Enquiry


def update_by_values(enquiries: Iterable[Enquiry], fields: Sequence[str]) -> None:
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    attnames = [Enquiry._meta.get_field(f).attname for f in fields]  # type: ignore[union-attr]
    for e in enquiries:
        groups[tuple(getattr(e, a) for a in attnames)].append(e.pk)
    for values, ids in groups.items():
        Enquiry.objects.filter(pk__in=ids).update(**dict(zip(attnames, values, strict=True)))
