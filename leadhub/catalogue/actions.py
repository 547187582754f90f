"""Importing a brand's catalogue (A8): idempotent on the SKU, all or nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from leadhub.orgs.models import Organisation

from .models import CatalogueItem
from .parse import ItemRecord

FIELDS = ("name", "kind", "language", "active")


@transaction.atomic
def import_catalogue(
    brand: Organisation, records: Sequence[ItemRecord], *, full: bool
) -> Counter[str]:
    """Create or update the items; with `full`, the file is the whole catalogue and the
    brand's items missing from it are withdrawn (inactive: old enquiries keep their lines)."""
    now = timezone.now()
    counts: Counter[str] = Counter()
    stored = {i.sku: i for i in CatalogueItem.objects.select_for_update().filter(brand=brand)}
    for r in records:
        values = {"name": r.name, "kind": r.kind, "language": r.language, "active": r.active}
        item = stored.get(r.sku)
        if item is None:
            CatalogueItem.objects.create(brand=brand, sku=r.sku, updated_at=now, **values)
            counts["created"] += 1
            continue
        changed = [k for k, v in values.items() if getattr(item, k) != v]
        if not changed:
            counts["unchanged"] += 1
            continue
        for k in changed:
            setattr(item, k, values[k])
        item.updated_at = now
        item.save(update_fields=[*changed, "updated_at"])
        counts["updated"] += 1
    if full:
        listed = {r.sku for r in records}
        gone = [i.pk for sku, i in stored.items() if sku not in listed and i.active]
        counts["withdrawn"] = CatalogueItem.objects.filter(pk__in=gone).update(
            active=False, updated_at=now
        )
    return counts
