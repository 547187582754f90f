"""Exports of the enquiry list (F4): the list's buttons, "My exports" (progress by htmx
polling, a failed one started again) and the download, which only the export's owner gets
(404 for anyone else)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadhub.exports.actions import start_again, start_export
from leadhub.exports.models import ExportFormat, ExportStatus
from leadhub.exports.queries import export_for_user, exports_of
from leadhub.exports.run import language_of
from leadhub.exports.serve import download, download_now, small_enough
from leadhub.exports.source import Spec

from .common import current_user
from .enquiry_list import link_state

SHOWN = 30
RUNNING = (ExportStatus.QUEUED, ExportStatus.RUNNING)


@login_required
@require_POST
def export_list(request: HttpRequest) -> HttpResponseBase:
    """The list as the page shows it (filters and sort from the query string, as the
    page's own URL has them): small ones at once, larger ones as a task."""
    user = current_user(request)
    fmt = request.POST.get("format", "")
    if fmt not in ExportFormat.values or user.organisation is None:
        return HttpResponse(
            _("Choose xlsx or CSV."), status=400, content_type="text/plain; charset=utf-8"
        )
    _tab, sort, filters, _links = link_state(request)
    spec = Spec(filters=filters, sort=sort, offers_first=True)
    now = timezone.now()
    language = language_of(user)
    if small_enough(user, spec, now):
        return download_now(user, spec, fmt, language=language, now=now)
    key = request.POST.get("key", "")[:64]
    start_export(user, spec, fmt=fmt, language=language, request_key=key)
    messages.info(
        request, _("The export is being prepared; the download link appears here when it is done.")
    )
    return redirect("exports")


@login_required
def export_page(request: HttpRequest) -> HttpResponse:
    """My exports; while one is queued or running, the table reloads itself (htmx)."""
    user = current_user(request)
    exports = list(exports_of(user)[:SHOWN])
    context = {
        "exports": exports,
        "polling": any(e.status in RUNNING for e in exports),
        "retention": settings.EXPORT_RETENTION_HOURS,
    }
    if getattr(request, "htmx", False):
        return render(request, "web/exports.html#table", context)
    return render(request, "web/exports.html", context)


@login_required
def export_file(request: HttpRequest, export_id: int) -> HttpResponseBase:
    return download(export_for_user(current_user(request), export_id))


@login_required
@require_POST
def export_again(request: HttpRequest, export_id: int) -> HttpResponseBase:
    """A failed export (its worker died, decision 0053) started again as a new one."""
    user = current_user(request)
    export = export_for_user(user, export_id)
    if export.status != ExportStatus.FAILED:
        raise Http404("Only a failed export starts again.")
    start_again(user, export)
    messages.info(
        request, _("The export is being prepared; the download link appears here when it is done.")
    )
    return redirect("exports")
