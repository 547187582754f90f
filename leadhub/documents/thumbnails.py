"""Thumbnails: a small WebP of a photo or of a PDF's first page. Pure: bytes in, bytes out.

Uploaded files are untrusted; decoding them is the risky, slow part, so it runs in the
background task (docs/decisions/0013-document-thumbnails-in-a-task.md), each image is
opened only with the decoder of the sniffed format, and huge images are refused before
they are decoded.
"""

from __future__ import annotations

import io
from typing import IO

import pypdfium2 as pdfium
from PIL import Image, ImageOps

SIZE = 240  # longest side, in pixels
MAX_PIXELS = 50_000_000  # a 50-megapixel photo is fine; a decompression bomb is not
PILLOW_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}
CONTENT_TYPE = "image/webp"


class ThumbnailFailed(Exception):
    """The file could not be drawn (damaged, encrypted, too large); it keeps its icon."""


def can_draw(content_type: str) -> bool:
    return content_type in PILLOW_FORMATS or content_type == "application/pdf"


def thumbnail(file: IO[bytes], content_type: str) -> bytes:
    """A WebP of at most SIZE by SIZE pixels."""
    if content_type == "application/pdf":
        image = _first_page(file)
    elif content_type in PILLOW_FORMATS:
        image = _photo(file, PILLOW_FORMATS[content_type])
    else:
        raise ThumbnailFailed(f"no thumbnails for {content_type}")
    image.thumbnail((SIZE, SIZE))
    keep_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if keep_alpha else "RGB")
    out = io.BytesIO()
    image.save(out, "WEBP", quality=80)
    return out.getvalue()


def _photo(file: IO[bytes], fmt: str) -> Image.Image:
    try:
        with Image.open(file, formats=[fmt]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ThumbnailFailed(f"{width}x{height} pixels is too large to draw")
            image.draft("RGB", (SIZE * 2, SIZE * 2))  # JPEG decodes at a fraction of its size
            # Phones store photos sideways and say so in EXIF; the first frame of a GIF.
            return ImageOps.exif_transpose(image) or image.copy()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ThumbnailFailed(str(exc)) from exc


def _first_page(file: IO[bytes]) -> Image.Image:
    try:
        pdf = pdfium.PdfDocument(file.read())
    except pdfium.PdfiumError as exc:  # damaged or password-protected
        raise ThumbnailFailed(str(exc)) from exc
    try:
        if len(pdf) == 0:
            raise ThumbnailFailed("the PDF has no pages")
        page = pdf[0]
        width, height = page.get_size()  # in points
        if min(width, height) <= 0:
            raise ThumbnailFailed("the first page has no size")
        image: Image.Image = page.render(scale=SIZE / max(width, height)).to_pil()
        return image
    except pdfium.PdfiumError as exc:
        raise ThumbnailFailed(str(exc)) from exc
    finally:
        pdf.close()
