"""Referral forms of the brand (A5): every user of the tab sees them and their links, to
send a link to a broker; administrators create forms and renew or revoke links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadhub.web.views.common import current_user

from ..actions import ReferralRefused, create_form, live_link, new_link, revoke_link
from ..links import link_url
from ..queries import forms_for_user, may_manage_forms, may_see_referrals


@login_required
def referral_forms(request: HttpRequest) -> HttpResponse:
    """GET: the forms with their live links; POST (administrators): a new form."""
    user = current_user(request)
    if not may_see_referrals(user):
        raise Http404
    if request.method == "POST":
        if not may_manage_forms(user):
            raise Http404
        assert user.organisation is not None
        try:
            form = create_form(
                user.organisation,
                name=request.POST.get("name", ""),
                project=request.POST.get("project", ""),
                by=user,
                now=timezone.now(),
            )
        except ReferralRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Form “%(name)s” created.") % {"name": form.name})
        return redirect("referral-forms")
    forms = list(forms_for_user(user).select_related("created_by"))
    rows = []
    for form in forms:
        link = live_link(form)
        rows.append((form, link_url(link) if link else "", form.referrals.count()))
    context = {
        "rows": rows,
        "projects": sorted({f.project for f in forms}),
        "may_manage": may_manage_forms(user),
    }
    return render(request, "referrals/forms.html", context)


@login_required
@require_POST
def form_link(request: HttpRequest, form_id: int, action: str) -> HttpResponse:
    """Renew (a new link; the old one stops working) or revoke the form's link."""
    user = current_user(request)
    form = forms_for_user(user).filter(pk=form_id).first()
    if form is None or not may_manage_forms(user) or action not in ("renew", "revoke"):
        raise Http404
    now = timezone.now()
    if action == "renew":
        new_link(form, by=user, now=now)
        messages.success(request, _("New link made; the previous one no longer works."))
    else:
        revoke_link(form, by=user, now=now)
        messages.success(request, _("Link revoked: the form is closed until you make a new link."))
    return redirect("referral-forms")
