"""What the database knows about a pool's partners, as pure `Candidate`s."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Max

from leadhub.enquiries.models import Enquiry, Status
from leadhub.orgs.models import Organisation

from .models import Offer, OfferStatus
from .pools import Candidate

REFUSALS = {
    OfferStatus.REJECTED.value: "rejected this enquiry",
    OfferStatus.EXPIRED.value: "let this enquiry expire",
}
OPEN_STATUSES = [s for s in Status.values if s != Status.OFFERED]


def open_load(partner_ids: Sequence[int]) -> dict[int, int]:
    """Open enquiries owned by each partner plus its pending offers."""
    load = dict.fromkeys(partner_ids, 0)
    owned = (
        Enquiry.objects.filter(owner_id__in=partner_ids, status__in=OPEN_STATUSES)
        .values("owner_id")
        .annotate(n=Count("id"))
    )
    for row in owned:
        load[row["owner_id"]] += row["n"]
    pending = (
        Offer.objects.filter(partner_id__in=partner_ids, status=OfferStatus.PENDING)
        .values("partner_id")
        .annotate(n=Count("id"))
    )
    for partner_id, n in pending.values_list("partner_id", "n"):
        load[partner_id] += n
    return load


def candidates_for(
    enquiry: Enquiry, brand: Organisation, keys: Sequence[str], rule_key: str
) -> list[Candidate]:
    partners = {
        p.key: p for p in Organisation.objects.filter(key__in=keys, kind="partner", brands=brand)
    }
    ids = [p.pk for p in partners.values()]
    load = open_load(ids)
    refused: dict[int, str] = dict(
        Offer.objects.filter(
            enquiry=enquiry, status__in=[OfferStatus.REJECTED, OfferStatus.EXPIRED]
        ).values_list("partner_id", "status")
    )
    last = dict(
        Offer.objects.filter(rule_key=rule_key, partner_id__in=ids)
        .values("partner_id")
        .annotate(at=Max("created_at"))
        .values_list("partner_id", "at")
    )
    out = []
    for key in keys:
        p = partners.get(key)
        if p is None:
            out.append(Candidate(key, key, excluded=f"no longer a partner of {brand.name}"))
            continue
        excluded = REFUSALS.get(refused.get(p.pk, ""), "")
        out.append(
            Candidate(
                key=p.key,
                name=p.name,
                open_enquiries=load[p.pk],
                capacity=p.capacity,
                grade=p.grade,
                last_offered_at=last.get(p.pk),
                excluded=excluded,
            )
        )
    return out
