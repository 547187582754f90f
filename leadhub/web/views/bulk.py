"""Bulk actions from the list (C6): a result per selected enquiry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadhub.enquiries.bulk_actions import perform_bulk
from leadhub.enquiries.pipeline import ActionInput, ActionRefused
from leadhub.enquiries.states import ACTIONS

from .common import current_user


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    group, _sep, reason = request.POST.get("reason", "|").partition("|")
    action = request.POST.get("action", "")
    # Back to the list as the user left it (tab, filters, order); only our own paths.
    back = request.POST.get("next", "")
    back = back if back.startswith("/enquiries/") and "//" not in back else "/enquiries/"
    if action == "close" and not reason:
        messages.error(request, _("Choose a reason to close them."))
        return redirect(back)
    try:
        rows = perform_bulk(
            request.POST.getlist("number"),
            action,
            by=user,
            now=timezone.now(),
            data=ActionInput(reason_group=group, reason=reason),
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect(back)
    done = [r for r in rows if r.ok]
    if done:
        messages.success(
            request,
            _("%(action)s: %(count)d done (%(numbers)s).")
            % {
                "action": ACTIONS[action].label,
                "count": len(done),
                "numbers": ", ".join(r.number for r in done),
            },
        )
    for r in rows:
        if not r.ok:
            messages.error(request, f"{r.number}: {r.detail}")
    return redirect(back)
