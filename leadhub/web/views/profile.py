"""The user's own settings: absences and substitute (B8), interface language."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from leadhub.notifications.models import Notice
from leadhub.orgs.models import User
from leadhub.routing.actions import add_absence, remove_absence

from ..forms import AbsenceForm
from .common import current_user


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus: a logged-in user keeps the choice on their profile."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if isinstance(user, User) and language in dict(settings.LANGUAGES):
        user.language = language
        user.save(update_fields=["language"])
    return response


@login_required
def absences(request: HttpRequest) -> HttpResponse:
    """B8: the user's own absences and substitutes."""
    user = current_user(request)
    form = AbsenceForm(request.POST or None, user=user)
    if request.method == "POST":
        if "remove" in request.POST:
            remove_absence(
                user, int(request.POST["remove"]) if request.POST["remove"].isdigit() else 0
            )
            messages.success(request, _("Absence removed."))
            return redirect("absences")
        if form.is_valid():
            add_absence(user, **form.cleaned_data)
            messages.success(
                request, _("Absence saved: new enquiries go to your substitute meanwhile.")
            )
            return redirect("absences")
    return render(
        request,
        "web/absences.html",
        {
            "form": form,
            "absences": user.absences.select_related("substitute").order_by("starts_on", "id"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    """G4: the user's notices, newest first; seeing them marks them read."""
    user = current_user(request)
    shown = list(Notice.objects.filter(user=user).select_related("enquiry")[:100])
    Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "web/notices.html", {"notices": shown})
