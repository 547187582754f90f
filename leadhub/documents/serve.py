"""Handing a document or its thumbnail to the browser, after the caller checked access.

Downloads are attachments with the sniffed type, never rendered by the browser in our
origin (nosniff, a sandboxing CSP), and never cached by shared caches (personal data)."""

from __future__ import annotations

from typing import Protocol

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from .models import Document
from .thumbnails import CONTENT_TYPE


def _private(response: FileResponse) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


class StoredFile(Protocol):
    """A document, or another kept upload (a broker's referral files)."""

    @property
    def file(self) -> FieldFile: ...
    @property
    def filename(self) -> str: ...
    @property
    def content_type(self) -> str: ...


def download(doc: StoredFile) -> FileResponse:
    try:
        file = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc
    response = FileResponse(
        file, as_attachment=True, filename=doc.filename, content_type=doc.content_type
    )
    return _private(response)


def thumbnail(doc: Document) -> FileResponse:
    if not doc.thumbnail:
        raise Http404("No thumbnail.")
    try:
        file = doc.thumbnail.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The thumbnail is missing.") from exc
    response = _private(FileResponse(file, content_type=CONTENT_TYPE))
    # A thumbnail never changes: the user's own browser may keep it for a day.
    response["Cache-Control"] = "private, max-age=86400"
    return response
