"""<vehicle> elements -> their interest and a readable line each for the enquiry text."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element

from .document import attr, block, child, child_text, children, text
from .interest import normal_interest


@dataclass(frozen=True)
class Vehicle:
    interest: str  # normalised: buy, lease, sell, trade-in, test-drive, or as sent
    status: str  # new / used / ""
    description: str  # "2026 Alpina Roadster GT (VIN ..., stock ...)"
    comments: str


def read_vehicles(prospect: Element) -> list[Vehicle]:
    return [_vehicle(v) for v in children(prospect, "vehicle")]


def _vehicle(v: Element) -> Vehicle:
    name = " ".join(x for x in (child_text(v, t) for t in ("year", "make", "model", "trim")) if x)
    details = [
        f"{label} {value}"
        for label, value in (
            ("VIN", child_text(v, "vin")),
            ("stock", child_text(v, "stock")),
            ("body", child_text(v, "bodystyle")),
            ("transmission", child_text(v, "transmission")),
            ("odometer", _odometer(child(v, "odometer"))),
            ("condition", child_text(v, "condition")),
            ("colour", _colour(child(v, "colorcombination"))),
            ("price", _price(child(v, "price"))),
            ("finance", _finance(child(v, "finance"))),
        )
        if value
    ]
    options = [
        o for o in (child_text(o, "optionname") or text(o) for o in children(v, "option")) if o
    ]
    if options:
        details.append("options " + ", ".join(options))
    description = (name or "vehicle not named") + (f" ({'; '.join(details)})" if details else "")
    return Vehicle(
        interest=normal_interest(attr(v, "interest")),
        status=attr(v, "status"),
        description=description,
        comments=block(child(v, "comments")),
    )


def _odometer(o: Element | None) -> str:
    value = text(o)
    return f"{value} {attr(o, 'units')}".strip() if value else ""


def _colour(c: Element | None) -> str:
    parts = [
        f"{label} {value}"
        for label, value in (
            ("exterior", child_text(c, "exteriorcolor")),
            ("interior", child_text(c, "interiorcolor")),
        )
        if value
    ]
    return ", ".join(parts)


def _price(p: Element | None) -> str:
    value = text(p)
    if not value:
        return ""
    kind = attr(p, "type")
    return " ".join(
        x for x in (value, attr(p, "currency").upper(), f"({kind})" if kind else "") if x
    )


def _finance(f: Element | None) -> str:
    if f is None:
        return ""
    method = child_text(f, "method")
    parts = [f"method {method}" if method else ""] + [
        f"{attr(a, 'type') or 'amount'} {text(a)}" for a in children(f, "amount") if text(a)
    ]
    balance = child_text(f, "balance")
    if balance:
        parts.append(f"balance {balance}")
    return ", ".join(p for p in parts if p)
