"""Pipeline actions from the enquiry page (the same perform() as the API)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.pipeline import ActionRefused, perform
from leadhub.enquiries.queries import Access, actions_for
from leadhub.enquiries.states import ACTIONS, TransitionError
from leadhub.orgs.models import User

from ..pipeline_forms import ActionForm
from .common import acting_on, back_to


@login_required
@require_POST
def take_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404

    def allowed(user: User, access: Access, enquiry: Enquiry) -> bool:
        return bool(actions_for(user, access, enquiry))

    user, enquiry, _access = acting_on(request, number, allowed)
    form = ActionForm(request.POST, action=action, organisation=enquiry.owner)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request,
                    f"{form.action.label}: {error}"
                    if field == "__all__"
                    else f"{form.fields[field].label}: {error}",
                )
        return back_to(number)
    try:
        perform(enquiry, action, by=user, now=timezone.now(), data=form.to_input())
    except (TransitionError, ActionRefused) as exc:
        messages.error(request, str(exc))
        return back_to(number)
    messages.success(request, _("Done: %(action)s.") % {"action": form.action.label})
    return back_to(number)
