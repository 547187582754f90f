"""Reading an ADF document safely: defusedxml refuses the XML attacks (entity expansion,
external entities, DTDs); the helpers below read elements leniently (any case, any
namespace, CDATA and whitespace as senders happen to write them)."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from leadhub.intake.leaddata import FieldError, IntakeError

MAX_DOCUMENT_BYTES = 1_000_000  # a lead is a few kB; anything near this is not a lead

REFUSED_DTD = (
    "the document declares a DTD (<!DOCTYPE ...>); DTDs are refused because they carry "
    "entity-expansion and external-entity attacks, and ADF leads need none"
)
REFUSED_ENTITY = "the document declares entities; they are refused (entity-expansion attacks)"
REFUSED_EXTERNAL = "the document refers to an external resource; refused (external-entity attack)"


def read_root(body: bytes) -> Element:
    """The document's root element, or IntakeError on field "body" with the reason."""
    if len(body) > MAX_DOCUMENT_BYTES:
        raise IntakeError([FieldError("body", f"larger than {MAX_DOCUMENT_BYTES} bytes")])
    if not body.strip():
        raise IntakeError([FieldError("body", "empty")])
    try:
        root: Element = fromstring(body, forbid_dtd=True)
    except DTDForbidden as exc:
        raise IntakeError([FieldError("body", REFUSED_DTD)]) from exc
    except EntitiesForbidden as exc:
        raise IntakeError([FieldError("body", REFUSED_ENTITY)]) from exc
    except ExternalReferenceForbidden as exc:
        raise IntakeError([FieldError("body", REFUSED_EXTERNAL)]) from exc
    except ParseError as exc:
        raise IntakeError([FieldError("body", f"not well-formed XML: {exc}")]) from exc
    return root


def name(el: Element) -> str:
    """The tag without namespace, lower-cased: <Vehicle> and <ns:vehicle> read alike."""
    return el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""


def children(el: Element | None, tag: str) -> list[Element]:
    return [c for c in el if name(c) == tag] if el is not None else []


def child(el: Element | None, tag: str) -> Element | None:
    found = children(el, tag)
    return found[0] if found else None


def attr(el: Element | None, key: str) -> str:
    """An attribute's value, stripped and lower-cased, its name matched in any case."""
    if el is None:
        return ""
    for k, v in el.attrib.items():
        if k.rsplit("}", 1)[-1].lower() == key:
            return v.strip().lower()
    return ""


def text(el: Element | None) -> str:
    """The element's text on one line (CDATA included, runs of whitespace collapsed)."""
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def block(el: Element | None) -> str:
    """Free text (comments): line breaks kept, blank lines and indentation dropped."""
    if el is None:
        return ""
    lines = (" ".join(line.split()) for line in "".join(el.itertext()).splitlines())
    return "\n".join(line for line in lines if line)


def child_text(el: Element | None, tag: str) -> str:
    return text(child(el, tag))
