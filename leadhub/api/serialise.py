"""Enquiry -> API dictionaries, shaped by how the user may see it (queries.Access)."""

from __future__ import annotations

from typing import Any

from leadhub.contacts.models import Contact
from leadhub.enquiries.models import Enquiry, HistoryEntry
from leadhub.enquiries.pipeline import AMOUNT_FIELDS
from leadhub.enquiries.preview import preview_of
from leadhub.enquiries.queries import Access, values_visible
from leadhub.routing.models import Offer


def _offer(offer: Offer | None) -> dict[str, Any] | None:
    if offer is None:
        return None
    return {
        "partner": offer.partner.key,
        "status": offer.status,
        "created_at": offer.created_at,
        "deadline_at": offer.deadline_at,
    }


def summary(e: Enquiry, access: Access, offer: Offer | None = None) -> dict[str, Any]:
    base = {
        "access": access.value,
        "number": e.number,
        "type": e.type,
        "status": e.status,
        "created_at": e.created_at,
        "due_at": e.due_at,
        "channel": e.channel.key if e.channel else None,
        "owner": e.owner.key,
        "returned": e.returned_at is not None,
        "offer": _offer(offer),
    }
    if access is Access.PREVIEW:
        p = preview_of(e)
        return base | {
            "owner": "",
            "assigned_to": None,
            "contact_name": "",
            "postal_code": p.postal_area,
            "city": p.city,
        }
    postal_code, city, _country = e.site_or_contact_place()
    return base | {
        "assigned_to": e.assigned_user.username if e.assigned_user else None,
        "contact_name": str(e.contact),
        "postal_code": postal_code,
        "city": city,
    }


def _address(c: Contact) -> dict[str, str]:
    return {
        "street": c.street,
        "postal_code": c.postal_code,
        "city": c.city,
        "province": c.province,
        "country": c.country,
    }


def detail(
    e: Enquiry,
    access: Access,
    history: list[HistoryEntry],
    offer: Offer | None,
    actions: list[str] | None = None,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    head = summary(e, access, offer)
    if access is Access.PREVIEW:
        p = preview_of(e)
        return head | {
            "text": p.text,
            "language": "",
            "contact": None,
            "site_address": None,
            "project_name": p.project_name,
            "project_type": e.project_type,  # not personal data
            "referrer_url": "",
            "utm": {},
            "external_id": "",
            "submitted_at": None,
            "tags": [],
            "pipeline": None,
            "values": None,
            "history": [],
        }
    actions = actions or []
    c = e.contact
    site = None
    if e.site_postal_code or e.site_city or e.site_street:
        site = {
            "street": e.site_street,
            "postal_code": e.site_postal_code,
            "city": e.site_city,
            "province": e.site_province,
            "country": e.site_country,
        }
    return head | {
        "text": e.text,
        "language": e.language,
        "contact": {
            "kind": c.kind,
            "title": c.title,
            "first_name": c.first_name,
            "last_name": c.last_name,
            "company": c.company,
            "email": c.email,
            "phone": c.phone,
            "language": c.language,
            "address": _address(c),
        },
        "site_address": site,
        "project_name": e.project_name,
        "project_type": e.project_type,
        "referrer_url": e.referrer_url,
        "utm": {
            "source": e.utm_source,
            "medium": e.utm_medium,
            "campaign": e.utm_campaign,
            "term": e.utm_term,
            "content": e.utm_content,
        },
        "external_id": e.external_id,
        "submitted_at": e.submitted_at,
        "tags": tags or [],
        "pipeline": {
            "actions": actions,
            "last_active_status": e.last_active_status,
            "close_reason_group": e.close_reason_group,
            "close_reason": e.close_reason,
            "appointment_at": e.appointment_at,
            "appointment_place": e.appointment_place,
            "appointment_unit": e.appointment_unit.key if e.appointment_unit else None,
        },
        "values": {name: getattr(e, name) for name in AMOUNT_FIELDS}
        | {"customer_decision": e.customer_decision, "customer_number": c.customer_number}
        if values_visible(access)
        else None,
        "history": [
            {
                "id": h.pk,
                "at": h.at,
                "category": h.category,
                "kind": h.kind,
                "message": h.message,
                "actor": h.actor.username if h.actor else None,
                "organisation": h.organisation.key if h.organisation else None,
            }
            for h in history
        ],
    }
