"""Thumbnails of real small files: pure, no database."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from leadhub.documents.thumbnails import SIZE, ThumbnailFailed, thumbnail

from .samples import jpeg, pdf, png


def drawn(data: bytes, content_type: str) -> Image.Image:
    picture = thumbnail(io.BytesIO(data), content_type)
    image = Image.open(io.BytesIO(picture))
    assert image.format == "WEBP"
    return image


def test_png_keeps_its_proportions() -> None:
    image = drawn(png(600, 300), "image/png")
    assert image.size == (SIZE, SIZE // 2)
    assert image.convert("RGB").getpixel((10, 10)) == pytest.approx((31, 95, 191), abs=6)


def test_small_images_are_not_enlarged() -> None:
    assert drawn(jpeg(100, 50), "image/jpeg").size == (100, 50)


def test_pdf_first_page() -> None:
    image = drawn(pdf(595, 842), "application/pdf")
    assert image.size[1] == SIZE and abs(image.size[0] - SIZE * 595 / 842) <= 1
    # The page is white with a blue rectangle in its lower left quarter.
    rgb = image.convert("RGB")
    assert rgb.getpixel((5, 5)) == pytest.approx((255, 255, 255), abs=6)
    assert rgb.getpixel((30, SIZE - 30)) == pytest.approx((0, 0, 255), abs=6)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "image/png"),  # damaged
        (png(), "image/jpeg"),  # opened only by the decoder of the sniffed type
        (b"%PDF-1.4\n garbage", "application/pdf"),
        (b"hello", "text/plain"),
    ],
)
def test_what_cannot_be_drawn_fails_cleanly(data: bytes, content_type: str) -> None:
    with pytest.raises(ThumbnailFailed):
        thumbnail(io.BytesIO(data), content_type)


def test_huge_images_are_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("leadhub.documents.thumbnails.MAX_PIXELS", 100 * 100)
    with pytest.raises(ThumbnailFailed, match="too large"):
        thumbnail(io.BytesIO(png(101, 100)), "image/png")
