"""What a file is, from its bytes (the client's type is not trusted), and a safe name for it.

Pure: no database, no HTTP. The accepted kinds are the ones a sales team exchanges with a
customer: photos, PDFs, office documents, text and e-mails. Anything else is refused,
notably HTML and SVG, which a browser would run.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

HEAD_BYTES = 8192
MAX_NAME = 200


class DocumentRefused(ValueError):
    """The upload or change is not accepted; the message says why, in the user's language."""


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]  # the first is the one added to a name that lacks it
    icon: str  # image, pdf, document, spreadsheet, presentation, email, text
    thumbnail: bool = False  # Pillow or PDFium can draw it


JPEG = Kind("image/jpeg", ("jpg", "jpeg", "jpe"), "image", thumbnail=True)
PNG = Kind("image/png", ("png",), "image", thumbnail=True)
GIF = Kind("image/gif", ("gif",), "image", thumbnail=True)
WEBP = Kind("image/webp", ("webp",), "image", thumbnail=True)
HEIC = Kind("image/heic", ("heic", "heif"), "image")  # iPhone photos; Pillow cannot read them
PDF = Kind("application/pdf", ("pdf",), "pdf", thumbnail=True)
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",), "document"
)
XLSX = Kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",), "spreadsheet"
)
PPTX = Kind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ("pptx",),
    "presentation",
)
ODT = Kind("application/vnd.oasis.opendocument.text", ("odt",), "document")
ODS = Kind("application/vnd.oasis.opendocument.spreadsheet", ("ods",), "spreadsheet")
ODP = Kind("application/vnd.oasis.opendocument.presentation", ("odp",), "presentation")
DOC = Kind("application/msword", ("doc",), "document")
XLS = Kind("application/vnd.ms-excel", ("xls",), "spreadsheet")
PPT = Kind("application/vnd.ms-powerpoint", ("ppt",), "presentation")
MSG = Kind("application/vnd.ms-outlook", ("msg",), "email")
RTF = Kind("application/rtf", ("rtf",), "document")
EML = Kind("message/rfc822", ("eml",), "email")
CSV = Kind("text/csv", ("csv",), "spreadsheet")
TEXT = Kind("text/plain", ("txt", "text", "log", "md"), "text")

OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
ODF_TYPES = {k.content_type: k for k in (ODT, ODS, ODP)}
# Old Office files share one container (OLE2); only the name tells them apart.
OLE2_BY_EXTENSION = {"doc": DOC, "xls": XLS, "ppt": PPT, "msg": MSG}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}
TEXT_BY_EXTENSION = {"eml": EML, "csv": CSV}
# Bytes that never occur in text (NUL and the other C0 controls but tab, newlines, form
# feed and escape).
BINARY = set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}

ACCEPTED = "JPEG, PNG, GIF, WebP, HEIC, PDF, Word, Excel, PowerPoint, OpenDocument, RTF, e-mail (.eml, .msg), CSV, text"


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def sniff(file: IO[bytes], name: str) -> Kind:
    """The kind of `file` from its content; the name only separates kinds whose bytes are
    alike (old Office files, text). Raises DocumentRefused for anything else."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    kind = _by_signature(head, file, extension(name))
    if kind is None:
        raise DocumentRefused(
            _("This kind of file is not accepted. Accepted: %(kinds)s.") % {"kinds": ACCEPTED}
        )
    return kind


def _by_signature(head: bytes, file: IO[bytes], ext: str) -> Kind | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return HEIC
    if b"%PDF-" in head[:1024]:  # the PDF standard allows a little junk before the header
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(file)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE2_BY_EXTENSION.get(ext)
    if head.startswith(b"{\\rtf"):
        return RTF
    if _is_text(head):
        return TEXT_BY_EXTENSION.get(ext, TEXT)
    return None


def _zip_kind(file: IO[bytes]) -> Kind | None:
    """Office Open XML and OpenDocument files are zip archives; their member names (from the
    central directory: nothing is decompressed, so a zip bomb costs nothing) tell which."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                return next((k for part, k in OOXML_PARTS.items() if part in names), None)
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                return ODF_TYPES.get(archive.read("mimetype").decode("ascii", "replace").strip())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None
    finally:
        file.seek(0)
    return None


def _is_text(head: bytes) -> bool:
    return bool(head) and not BINARY.intersection(head)


def clean_filename(raw: str, kind: Kind) -> str:
    """The name as the user knows it, made safe: no folders, control or format characters
    (such as right-to-left overrides) or characters that file systems refuse; and an
    extension that matches the content, so that "offer.html" holding text is saved as
    "offer.html.txt" and never opened by a browser as a page."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = re.sub(r'[<>:"|?*]', "_", name)
    name = " ".join(name.split()).strip(" .")
    ext = extension(name)
    stem = name[: -len(ext) - 1] if ext in kind.extensions else name
    if ext not in kind.extensions:
        ext = kind.extensions[0]
    stem = stem[: MAX_NAME - len(ext) - 1].rstrip(" .") or "document"
    return f"{stem}.{ext}"


KNOWN: tuple[Kind, ...] = (JPEG, PNG, GIF, WEBP, HEIC, PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP)
KNOWN += (DOC, XLS, PPT, MSG, RTF, EML, CSV, TEXT)
BY_TYPE = {k.content_type: k for k in KNOWN}


def icon_of(content_type: str) -> str:
    """The icon of a stored document's kind (what the page shows without a thumbnail)."""
    kind = BY_TYPE.get(content_type)
    return kind.icon if kind else "text"
