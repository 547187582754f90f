"""The thumbnail task, run by `leadhub db_worker` after the upload committed."""

from __future__ import annotations

import logging
from typing import IO, cast

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from .models import Document
from .thumbnails import ThumbnailFailed, thumbnail

log = logging.getLogger(__name__)


@task()
def make_thumbnail(document_id: int) -> str:
    """Draw the document's thumbnail once; a file that cannot be drawn keeps its icon."""
    doc = Document.objects.filter(
        pk=document_id, thumbnail_done_at__isnull=True, removed_at__isnull=True
    ).first()
    if doc is None:
        return "nothing to do"
    try:
        with doc.file.open("rb") as file:
            picture = thumbnail(cast(IO[bytes], file), doc.content_type)
    except (ThumbnailFailed, OSError) as exc:
        log.info("no thumbnail for document %s: %s", doc.pk, exc)
        picture = b""
    if picture:
        storage = doc.thumbnail.storage
        doc.thumbnail.name = storage.save(f"{doc.file.name}.thumb.webp", ContentFile(picture))
    doc.thumbnail_done_at = timezone.now()
    doc.save(update_fields=["thumbnail", "thumbnail_done_at"])
    return f"{len(picture)} bytes" if picture else "icon"
