# Reports (F1, decision 0040): fills brand, reaction time in working seconds and processed_at
# of the offers decided before 0002 added them. Apart from 0002: PostgreSQL refuses the
# indexes Django creates at the end of a migration once this step's UPDATEs are pending.
from datetime import date
from typing import Any

from django.db import migrations
from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import Coalesce

from leadhub.lib.workingtime import make_calendar, working_time_between


def fill(apps: Any, schema_editor: Any) -> None:
    Offer = apps.get_model("routing", "Offer")
    Enquiry = apps.get_model("enquiries", "Enquiry")
    HistoryEntry = apps.get_model("enquiries", "HistoryEntry")
    brand = Enquiry.objects.filter(pk=OuterRef("enquiry_id"))
    Offer.objects.filter(brand__isnull=True).update(
        brand_id=Coalesce(
            Subquery(brand.values("origin_brand_id")[:1]), Subquery(brand.values("owner_id")[:1])
        )
    )
    # The accepting partner's first pipeline action (history: category "action", data.action).
    first_action = (
        HistoryEntry.objects.filter(
            enquiry_id=OuterRef("enquiry_id"),
            organisation_id=OuterRef("partner_id"),
            category="action",
            data__has_key="action",
            at__gte=OuterRef("decided_at"),
        )
        .values("enquiry_id")
        .annotate(first=Min("at"))
        .values("first")[:1]
    )
    Offer.objects.filter(status="accepted", processed_at__isnull=True).update(
        processed_at=Subquery(first_action)
    )
    calendars: dict[int, Any] = {}
    decided = Offer.objects.filter(decided_at__isnull=False, working_seconds__isnull=True)
    batch = []
    for offer in decided.select_related("partner").iterator(chunk_size=2000):
        p = offer.partner
        if p.pk not in calendars:
            calendars[p.pk] = make_calendar(
                timezone=p.timezone,
                working_hours=p.working_hours,
                country=p.country,
                subdivision=p.subdivision or None,
                closing_days=[date.fromisoformat(d) for d in p.closing_days or ()],
            )
        spent = working_time_between(offer.created_at, offer.decided_at, calendars[p.pk])
        offer.working_seconds = int(spent.total_seconds())
        batch.append(offer)
        if len(batch) >= 2000:
            Offer.objects.bulk_update(batch, ["working_seconds"])
            batch = []
    Offer.objects.bulk_update(batch, ["working_seconds"])


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0002_offer_reports"),
        ("enquiries", "0012_list_indexes_per_part"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
