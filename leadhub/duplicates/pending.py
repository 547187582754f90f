"""Queueing a duplicate check: one INSERT in the caller's transaction, so intake and
accepting stay fast and a rolled-back intake leaves no check behind (decision 0048)."""

from __future__ import annotations

from django.conf import settings

from leadhub.enquiries.models import Enquiry
from leadhub.lib.inserts import insert
from leadhub.orgs.models import Organisation

from .models import Occasion, PendingCheck


def queue_check(enquiry: Enquiry, *, organisation: Organisation, occasion: Occasion) -> None:
    if not settings.DUPLICATE_CHECK:
        return
    insert([PendingCheck(enquiry=enquiry, organisation=organisation, occasion=occasion)])
