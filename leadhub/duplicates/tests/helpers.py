"""Shared helpers of the duplicates tests: deliveries in the hand-off world, the worker."""

from __future__ import annotations

from typing import Any

from django.test import Client

from leadhub.duplicates.check import run_pending
from leadhub.duplicates.models import Candidate
from leadhub.enquiries.models import Enquiry
from leadhub.testing.handoff import TRENTO
from leadhub.testing.world import deliver, payload


def contact(**changes: Any) -> dict[str, Any]:
    body = payload()
    body["contact"].update(changes)
    return body


def receive(client: Client, body: dict[str, Any]) -> Enquiry:
    answer = deliver(client, body)
    assert answer.status_code in (200, 201), answer.content
    return Enquiry.objects.select_related("contact").get(number=answer.json()["number"])


def trento(**changes: Any) -> dict[str, Any]:
    body = contact(**changes)
    body["contact"]["address"] = dict(TRENTO)
    return body


def checked(enquiry: Enquiry) -> list[Candidate]:
    run_pending()
    return list(Candidate.objects.filter(enquiry=enquiry).order_by("-score", "id"))


def url(enquiry: Enquiry) -> str:
    return f"/enquiries/{enquiry.url_number}/"
