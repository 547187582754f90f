"""Documents (C4) on the enquiry page: upload, favourite, remove, download, thumbnail; and
the section alone, which the page reloads while thumbnails are being drawn."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leadhub.documents import serve
from leadhub.documents.actions import remove_document, set_favourite, upload_document
from leadhub.documents.kinds import DocumentRefused, extension, icon_of
from leadhub.documents.queries import document_for, documents_for
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import Access, enquiry_for_user, may_work
from leadhub.orgs.models import User

from .common import acting_on, back_to, current_user

# While a thumbnail is being drawn the section reloads itself; not for ever, if the
# worker is down.
POLL_FOR = timedelta(minutes=2)


def documents_context(user: User, access: Access, enquiry: Enquiry) -> dict[str, object]:
    docs = list(documents_for(user, access, enquiry))
    for doc in docs:  # shown where there is no thumbnail
        doc.icon = icon_of(doc.content_type)  # type: ignore[attr-defined]
        doc.badge = extension(doc.filename).upper()[:4] or "FILE"  # type: ignore[attr-defined]
    since = timezone.now() - POLL_FOR
    return {
        "documents": docs,
        "may_upload": may_work(user, access, enquiry),
        "max_mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024),
        "drawing": any(d.thumbnail_done_at is None and d.uploaded_at > since for d in docs),
    }


@login_required
def documents(request: HttpRequest, number: str) -> HttpResponse:
    """GET: the section alone (htmx). POST: upload a file."""
    if request.method != "POST":
        user = current_user(request)
        enquiry, access = enquiry_for_user(user, number)
        if access is Access.PREVIEW:
            raise Http404
        if not getattr(request, "htmx", False):
            return back_to(number, "documents")
        context = {"enquiry": enquiry, **documents_context(user, access, enquiry)}
        return render(request, "web/enquiry_detail.html#documents", context)
    user, enquiry, _access = acting_on(request, number, may_work)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
        return back_to(number, "documents")
    try:
        doc, created = upload_document(enquiry, by=user, upload=upload, now=timezone.now())
    except DocumentRefused as exc:
        messages.error(request, str(exc))
    else:
        if created:
            messages.success(request, _("Added “%(name)s”.") % {"name": doc.filename})
        else:
            messages.info(request, _("“%(name)s” is already here.") % {"name": doc.filename})
    return back_to(number, "documents")


@login_required
@require_POST
def document_change(
    request: HttpRequest, number: str, document_id: int, remove: bool = False
) -> HttpResponse:
    """Star or unstar (field `favourite` = 1 or 0), or remove."""
    user, enquiry, _access = acting_on(request, number, may_work)
    try:
        if remove:
            remove_document(enquiry, document_id, by=user, now=timezone.now())
        else:
            favourite = request.POST.get("favourite") == "1"
            set_favourite(enquiry, document_id, by=user, favourite=favourite)
    except DocumentRefused as exc:
        messages.error(request, str(exc))
    return back_to(number, "documents")


@login_required
@require_GET
def document_file(request: HttpRequest, number: str, document_id: int) -> FileResponse:
    doc, _enquiry, _access = document_for(current_user(request), number, document_id)
    return serve.download(doc)


@login_required
@require_GET
def document_thumbnail(request: HttpRequest, number: str, document_id: int) -> FileResponse:
    doc, _enquiry, _access = document_for(current_user(request), number, document_id)
    return serve.thumbnail(doc)
