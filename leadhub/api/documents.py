"""Documents on an enquiry (C4) through the API: list, upload, download, thumbnail,
favourite, remove. The same rules as the page (documents/queries.py)."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import File, Schema, Status, UploadedFile

from leadhub.documents import serve
from leadhub.documents.actions import remove_document, set_favourite, upload_document
from leadhub.documents.kinds import DocumentRefused, icon_of
from leadhub.documents.models import Document
from leadhub.documents.queries import document_for, documents_for
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import Access, enquiry_for_user, may_work
from leadhub.orgs.models import User

from .auth import current_user
from .enquiries import NUMBER, refusal, router
from .schemas import ErrorOut

DOCS = NUMBER + "/documents"
ONE = DOCS + "/{int:document_id}"


class DocumentOut(Schema):
    id: int
    filename: str
    content_type: str
    kind: str  # image, pdf, document, spreadsheet, presentation, email, text
    size: int
    sha256: str
    favourite: bool
    uploaded_at: datetime
    uploaded_by: str | None
    organisation: str
    download_url: str
    thumbnail_url: str | None  # null until drawn, and for kinds without thumbnails
    thumbnail_pending: bool


class DocumentListOut(Schema):
    items: list[DocumentOut]


class FavouriteIn(Schema):
    favourite: bool


def out(doc: Document, enquiry: Enquiry) -> dict[str, object]:
    url = f"/api/v1/enquiries/{enquiry.url_number}/documents/{doc.pk}"
    return {
        "id": doc.pk,
        "filename": doc.filename,
        "content_type": doc.content_type,
        "kind": icon_of(doc.content_type),
        "size": doc.size,
        "sha256": doc.sha256,
        "favourite": doc.favourite,
        "uploaded_at": doc.uploaded_at,
        "uploaded_by": doc.uploaded_by.username if doc.uploaded_by else None,
        "organisation": doc.organisation.key,
        "download_url": url,
        "thumbnail_url": f"{url}/thumbnail" if doc.thumbnail else None,
        "thumbnail_pending": doc.thumbnail_done_at is None,
    }


def _working(request: HttpRequest, number: str) -> tuple[User, Enquiry] | Status[dict[str, str]]:
    """The enquiry if the user may change its documents; a partner with a pending offer
    does not learn that documents exist (404), a viewer or the following brand gets 403."""
    user = current_user(request)
    enquiry, access = enquiry_for_user(user, number)
    if access is Access.PREVIEW:
        raise Http404
    if not may_work(user, access, enquiry):
        return refusal(access)
    return user, enquiry


@router.get(DOCS, response={200: DocumentListOut, 404: ErrorOut}, summary="The enquiry's documents")
def list_documents(request: HttpRequest, number: str) -> dict[str, object]:
    """Favourites first, then the newest."""
    user = current_user(request)
    enquiry, access = enquiry_for_user(user, number)
    if access is Access.PREVIEW:
        raise Http404
    docs = documents_for(user, access, enquiry).select_related("organisation")
    return {"items": [out(d, enquiry) for d in docs]}


@router.post(
    DOCS,
    response={200: DocumentOut, 201: DocumentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Upload a document (multipart, field `file`)",
)
def upload(request: HttpRequest, number: str, file: File[UploadedFile]) -> object:
    """201 with the new document; 200 with the existing one when the same file (same
    SHA-256) is already on the enquiry, so a retry adds nothing; 422 when the file is
    empty, too large or of a kind not accepted."""
    allowed = _working(request, number)
    if isinstance(allowed, Status):
        return allowed
    user, enquiry = allowed
    try:
        doc, created = upload_document(enquiry, by=user, upload=file, now=timezone.now())
    except DocumentRefused as exc:
        return Status(422, {"detail": str(exc)})
    return Status(201 if created else 200, out(doc, enquiry))


@router.get(ONE, response={404: ErrorOut}, summary="Download a document")
def download(request: HttpRequest, number: str, document_id: int) -> object:
    doc, _enquiry, _access = document_for(current_user(request), number, document_id)
    return serve.download(doc)


@router.get(ONE + "/thumbnail", response={404: ErrorOut}, summary="A document's thumbnail (WebP)")
def thumbnail(request: HttpRequest, number: str, document_id: int) -> object:
    doc, _enquiry, _access = document_for(current_user(request), number, document_id)
    return serve.thumbnail(doc)


def _change_one(
    request: HttpRequest, number: str, document_id: int
) -> tuple[User, Document, Enquiry] | Status[dict[str, str]]:
    user = current_user(request)
    doc, enquiry, access = document_for(user, number, document_id)
    if not may_work(user, access, enquiry):
        return refusal(access)
    return user, doc, enquiry


@router.patch(
    ONE,
    response={200: DocumentOut, 403: ErrorOut, 404: ErrorOut},
    summary="Mark a document a favourite, or not",
)
def patch(request: HttpRequest, number: str, document_id: int, body: FavouriteIn) -> object:
    allowed = _change_one(request, number, document_id)
    if isinstance(allowed, Status):
        return allowed
    user, doc, enquiry = allowed
    try:
        doc = set_favourite(enquiry, doc.pk, by=user, favourite=body.favourite)
    except DocumentRefused as exc:  # removed meanwhile
        raise Http404 from exc
    return out(doc, enquiry)


@router.delete(ONE, response={204: None, 403: ErrorOut, 404: ErrorOut}, summary="Remove a document")
def delete(request: HttpRequest, number: str, document_id: int) -> object:
    """It stays on record for the audit trail, unseen."""
    allowed = _change_one(request, number, document_id)
    if isinstance(allowed, Status):
        return allowed
    user, doc, enquiry = allowed
    try:
        remove_document(enquiry, doc.pk, by=user, now=timezone.now())
    except DocumentRefused as exc:  # removed meanwhile
        raise Http404 from exc
    return Status(204, None)
