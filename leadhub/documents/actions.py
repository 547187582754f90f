"""Writes on documents: upload, favourite, remove. Each is one transaction with its
history entry (category "document") and marks the enquiry changed (C7)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import IO, cast

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from leadhub.enquiries.history import record
from leadhub.enquiries.models import Enquiry, HistoryCategory
from leadhub.enquiries.reading import touch
from leadhub.notifications.enqueue import enqueue_with_commit
from leadhub.orgs.models import Organisation, User
from leadhub.search import index as search_index

from .kinds import DocumentRefused, clean_filename, sniff
from .models import Document
from .tasks import make_thumbnail
from .thumbnails import can_draw


def live(enquiry: Enquiry) -> QuerySet[Document]:
    return Document.objects.filter(enquiry=enquiry, removed_at__isnull=True)


def _digest(upload: UploadedFile[bytes]) -> str:
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


def _private_to(enquiry: Enquiry) -> Organisation | None:
    """A partner's document entries are private to it: file names can carry quote amounts,
    which the brand following the enquiry must not read (F3). The brand's own entries,
    written while it holds the enquiry, are the partner's to read after a hand-off."""
    if enquiry.origin_brand_id not in (None, enquiry.owner_id):
        return enquiry.owner
    return None


def _note(enquiry: Enquiry, by: User, kind: str, message: str, doc: Document) -> None:
    entry = record(
        enquiry,
        category=HistoryCategory.DOCUMENT,
        kind=kind,
        message=message,
        actor=by,
        data={"document": doc.pk},
        private_to=_private_to(enquiry),
    )
    touch(enquiry, entry.at)
    search_index.refresh([enquiry.pk])  # document names are searched


def upload_document(
    enquiry: Enquiry,
    *,
    by: User,
    upload: UploadedFile[bytes],
    now: datetime,
) -> tuple[Document, bool]:
    """Store `upload` on the enquiry: (the document, whether it is new). The same file again
    answers the document it already is, so a retried upload adds nothing."""
    limit = settings.DOCUMENT_MAX_BYTES
    if not upload.size:
        raise DocumentRefused(_("The file is empty."))
    if upload.size > limit:
        raise DocumentRefused(
            _("A document has at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
        )
    assert by.organisation is not None  # may_work: a user of the owner
    kind = sniff(cast(IO[bytes], upload), upload.name or "")
    filename = clean_filename(upload.name or "", kind)
    sha256 = _digest(upload)
    found = live(enquiry).filter(sha256=sha256).first()
    if found is not None:
        return found, False
    # The file goes to disk first, under a random name; if the row is not written, it goes.
    stored = default_storage.save(f"documents/{enquiry.pk}/{secrets.token_hex(16)}", upload)
    try:
        with transaction.atomic():
            doc = Document.objects.create(
                enquiry=enquiry,
                organisation=by.organisation,
                uploaded_by=by,
                uploaded_at=now,
                filename=filename,
                content_type=kind.content_type,
                size=upload.size,
                sha256=sha256,
                file=stored,
                thumbnail_done_at=None if can_draw(kind.content_type) else now,
            )
            _note(enquiry, by, "document_added", f"Added document “{filename}”.", doc)
            if doc.thumbnail_done_at is None:
                enqueue_with_commit(make_thumbnail, doc.pk)
    except IntegrityError:
        # The same file arrived twice at once: the other upload won; answer its document.
        default_storage.delete(stored)
        return live(enquiry).get(sha256=sha256), False
    except BaseException:
        default_storage.delete(stored)
        raise
    return doc, True


def _live_document(enquiry: Enquiry, document_id: int) -> Document:
    doc = live(enquiry).select_for_update().filter(pk=document_id).first()
    if doc is None:
        raise DocumentRefused(_("There is no such document."))
    return doc


@transaction.atomic
def set_favourite(enquiry: Enquiry, document_id: int, *, by: User, favourite: bool) -> Document:
    doc = _live_document(enquiry, document_id)
    if doc.favourite != favourite:
        doc.favourite = favourite
        doc.save(update_fields=["favourite"])
        if favourite:
            _note(enquiry, by, "document_favourite", f"Marked “{doc.filename}” a favourite.", doc)
        else:
            _note(
                enquiry, by, "document_unfavourite", f"“{doc.filename}” no longer a favourite.", doc
            )
    return doc


@transaction.atomic
def remove_document(enquiry: Enquiry, document_id: int, *, by: User, now: datetime) -> None:
    doc = _live_document(enquiry, document_id)
    doc.removed_at = now
    doc.save(update_fields=["removed_at"])
    _note(enquiry, by, "document_removed", f"Removed document “{doc.filename}”.", doc)
