"""Sniffing and file names: pure, no database."""

from __future__ import annotations

import io

import pytest

from leadhub.documents import kinds
from leadhub.documents.kinds import DocumentRefused, clean_filename, sniff

from .samples import XLSX_PARTS, jpeg, office, pdf, png


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (png(), "photo.png", kinds.PNG),
        (png(), "photo.jpg", kinds.PNG),  # the bytes decide, not the name
        (jpeg(), "x", kinds.JPEG),
        (b"GIF89a" + b"\0" * 20, "a.gif", kinds.GIF),
        (b"RIFF\x10\0\0\0WEBPVP8 ", "a.webp", kinds.WEBP),
        (b"\0\0\0\x18ftypheic\0\0\0\0", "IMG_0001.HEIC", kinds.HEIC),
        (pdf(), "offer.bin", kinds.PDF),
        (office(XLSX_PARTS), "sheet.xlsx", kinds.XLSX),
        (office(["[Content_Types].xml", "word/document.xml"]), "a.docx", kinds.DOCX),
        (office(["[Content_Types].xml", "ppt/presentation.xml"]), "a.pptx", kinds.PPTX),
        (office(["content.xml"], "application/vnd.oasis.opendocument.text"), "a.odt", kinds.ODT),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, "old.XLS", kinds.XLS),
        (b"{\\rtf1\\ansi hello}", "a.rtf", kinds.RTF),
        (b"From: a@b.example\r\nSubject: Windows\r\n\r\nHello", "mail.eml", kinds.EML),
        ("Name;Città\nRossi;Trento\n".encode(), "list.csv", kinds.CSV),
        ("Grüße aus Bozen\n".encode(), "notes", kinds.TEXT),
    ],
)
def test_sniffs_accepted_kinds(data: bytes, name: str, expected: kinds.Kind) -> None:
    file = io.BytesIO(data)
    assert sniff(file, name) == expected
    assert file.tell() == 0  # ready to be stored


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\x7fELF\x02\x01\x01" + b"\0" * 40, "tool.pdf"),  # a program named as a PDF
        (b"MZ\x90\0\x03\0\0\0", "setup.exe"),
        (office(["payload.exe"]), "archive.zip"),  # a zip that is no office file
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, "thing.bin"),  # OLE2, unknown
        (b"PK\x03\x04 broken", "a.docx"),
        (b"", "empty.txt"),
    ],
)
def test_refuses_other_files(data: bytes, name: str) -> None:
    with pytest.raises(DocumentRefused, match="not accepted"):
        sniff(io.BytesIO(data), name)


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("Offer 2026.PDF", kinds.PDF, "Offer 2026.pdf"),
        ("C:\\Users\\anna\\Desktop\\plan.pdf", kinds.PDF, "plan.pdf"),
        ("../../etc/passwd", kinds.TEXT, "passwd.txt"),
        ("offer.html", kinds.TEXT, "offer.html.txt"),  # never opened as a page
        ("photo.jpg", kinds.PNG, "photo.jpg.png"),
        ("in\u202egnp.exe", kinds.PNG, "ingnp.exe.png"),  # right-to-left override dropped
        ('a<b>:"c"|?*.txt', kinds.TEXT, "a_b___c____.txt"),
        ("  .hidden  ", kinds.TEXT, "hidden.txt"),
        ("", kinds.PDF, "document.pdf"),
        ("...", kinds.PDF, "document.pdf"),
        ("Citta\u0300.pdf", kinds.PDF, "Città.pdf"),  # one way to write à
    ],
)
def test_clean_filename(raw: str, kind: kinds.Kind, expected: str) -> None:
    assert clean_filename(raw, kind) == expected


def test_long_names_keep_their_extension() -> None:
    name = clean_filename("x" * 500 + ".pdf", kinds.PDF)
    assert len(name) == kinds.MAX_NAME and name.endswith("x.pdf")
