"""The broker's private address of a referral form."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from .models import ReferralLink


def link_url(link: ReferralLink) -> str:
    return settings.BASE_URL + reverse("referral-public", kwargs={"secret": link.secret})
