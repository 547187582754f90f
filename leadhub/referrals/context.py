"""Template context for every page: the Referrals tab in the top bar, for the users who
may see it, with the number of referrals waiting for a decision."""

from __future__ import annotations

from django.http import HttpRequest

from leadhub.orgs.models import User

from .models import ReferralStatus
from .queries import may_see_referrals, referrals_for_user


def referrals_tab(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not may_see_referrals(user):
        return {}
    pending = referrals_for_user(user).filter(status=ReferralStatus.PENDING).count()
    return {"referrals_tab": True, "pending_referrals": pending}
