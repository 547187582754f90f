"""Small real files, made here rather than stored: a PNG, a JPEG, a one-page PDF, an .xlsx."""

from __future__ import annotations

import io
import zipfile

from PIL import Image


def png(width: int = 600, height: int = 300, colour: str = "#1f5fbf") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 400, height: int = 200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#b42318").save(out, "JPEG")
    return out.getvalue()


def pdf(width: int = 595, height: int = 842) -> bytes:
    """A one-page PDF (A4 by default) with a filled rectangle, xref offsets computed."""
    content = b"0 0 1 rg 50 50 200 300 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R >>" % (width, height),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def office(parts: list[str], mimetype: str | None = None) -> bytes:
    """A zip with the given member names, like an Office Open XML or OpenDocument file."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype)
        for name in parts:
            archive.writestr(name, "<xml/>")
    return out.getvalue()


XLSX_PARTS = ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]
