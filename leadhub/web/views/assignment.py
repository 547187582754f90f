"""Assign (B3): search targets as you type, assign to one; e-mail assignments (B6) can be
re-sent; the recipient's private page shows the enquiry without an account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadhub.assignment.actions import (
    AssignRefused,
    assign_to,
    may_assign,
    offers_partners,
    resend,
)
from leadhub.assignment.models import ExternalAssignment
from leadhub.assignment.targets import UnknownTarget, find_targets, resolve
from leadhub.documents import serve
from leadhub.documents.models import Document

from .common import acting_on, back_to


@login_required
def assign(request: HttpRequest, number: str) -> HttpResponse:
    """GET ?q=: the matching targets (the rows alone for htmx, else a page); POST: assign."""
    user, enquiry, access = acting_on(request, number, may_assign)
    partners = offers_partners(user, access, enquiry)
    if request.method != "POST":
        query = request.GET.get("q", "")
        context = {
            "enquiry": enquiry,
            "query": query,
            "targets": find_targets(enquiry.owner, query, partners=partners),
        }
        template = (
            "web/assign.html#targets" if getattr(request, "htmx", False) else "web/assign.html"
        )
        return render(request, template, context)
    try:
        target = resolve(enquiry.owner, request.POST.get("target", ""), partners=partners)
        done = assign_to(
            enquiry,
            target,
            by=user,
            now=timezone.now(),
            message=request.POST.get("message", ""),
            copy_to_sender=request.POST.get("copy_to_me") == "1",
        )
    except (UnknownTarget, AssignRefused) as exc:
        messages.error(request, str(exc))
        return back_to(number)
    messages.success(request, done.description[0].upper() + done.description[1:] + ".")
    return back_to(number)


@login_required
@require_POST
def resend_external(request: HttpRequest, number: str, external_id: int) -> HttpResponse:
    user, enquiry, _access = acting_on(request, number, may_assign)
    external = ExternalAssignment.objects.filter(pk=external_id, enquiry=enquiry).first()
    if external is None:
        raise Http404
    try:
        resend(external, by=user, now=timezone.now())
    except AssignRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Sent again to %(email)s.") % {"email": external.email})
    return back_to(number)


def _live(secret: str) -> ExternalAssignment:
    external = (
        ExternalAssignment.objects.select_related("enquiry__contact", "assigned_by", "organisation")
        .filter(secret=secret, revoked_at__isnull=True)
        .first()
    )
    if external is None:
        raise Http404(_("This link is no longer valid."))
    return external


def _documents(external: ExternalAssignment) -> QuerySet[Document]:
    """The attachments: the documents of the enquiry its owner sees (decision 0014)."""
    return Document.objects.filter(enquiry=external.enquiry, removed_at__isnull=True).order_by(
        "-favourite", "-uploaded_at", "-id"
    )


def external_document(request: HttpRequest, secret: str, document_id: int) -> FileResponse:
    doc = _documents(_live(secret)).filter(pk=document_id).first()
    if doc is None:
        raise Http404
    return serve.download(doc)


def external_page(request: HttpRequest, secret: str) -> HttpResponse:
    """The recipient of an e-mail assignment reads the enquiry here, until it is revoked."""
    external = _live(secret)
    context = {
        "external": external,
        "enquiry": external.enquiry,
        "contact": external.enquiry.contact,
        "documents": list(_documents(external)),
    }
    response = render(request, "web/external.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
