"""ADF 1.0 (Auto-lead Data Format) document -> one LeadData per <prospect> (pure: no
database, no HTTP). Strict about XML attacks (document.py), lenient about the rest."""

from __future__ import annotations

from datetime import tzinfo
from xml.etree.ElementTree import Element, tostring

from leadhub.intake.leaddata import FieldError, IntakeError, LeadData, Utm

from .contact import comments, read_contact
from .document import attr, child, child_text, children, name, read_root, text
from .interest import enquiry_type
from .vehicles import Vehicle, read_vehicles
from .when import request_instant

MAX_TEXT = 20000


def parse(body: bytes, *, default_country: str, zone: tzinfo) -> list[LeadData]:
    """Every prospect of the document, in order; IntakeError lists every problem of every
    prospect at once (a document is taken whole or not at all)."""
    root = read_root(body)
    if name(root) == "prospect":  # a bare prospect, without the <adf> wrapper
        prospects = [root]
    elif name(root) == "adf":
        prospects = children(root, "prospect")
    else:
        raise IntakeError([FieldError("body", f"the root element is <{name(root)}>, not <adf>")])
    if not prospects:
        raise IntakeError([FieldError("body", "the document has no <prospect>")])
    leads: list[LeadData] = []
    errors: list[FieldError] = []
    for n, prospect in enumerate(prospects, start=1):
        path = "prospect" if len(prospects) == 1 else f"prospect[{n}]"
        try:
            leads.append(_lead(prospect, path, default_country, zone))
        except IntakeError as exc:
            errors += exc.errors
    if errors:
        raise IntakeError(errors)
    return leads


def _lead(prospect: Element, path: str, default_country: str, zone: tzinfo) -> LeadData:
    customer = child(prospect, "customer")
    found = read_contact(customer, default_country=default_country, path=path)
    if found.errors:
        raise IntakeError(found.errors)
    vehicles = read_vehicles(prospect)
    said = comments(customer)
    requested = child_text(prospect, "requestdate")
    submitted_at = request_instant(requested, zone) if requested else None
    notes = list(found.notes)
    if requested and submitted_at is None:
        notes.append(f"Request date as given: {requested}")
    provider = child(prospect, "provider")
    return LeadData(
        type=enquiry_type([v.interest for v in vehicles], said),
        contact=found.contact,
        text=_text(said, vehicles, prospect, notes)[:MAX_TEXT],
        referrer_url=child_text(provider, "url")[:1000],
        utm=Utm(source=_party_name(provider)[:200], campaign=child_text(provider, "service")[:200]),
        external_id=external_id(prospect),
        submitted_at=submitted_at,
        raw={"format": "adf", "prospect": tostring(prospect, encoding="unicode")},
    )


def external_id(prospect: Element) -> str:
    """The sender's id of the lead: the first <id>, qualified by its source, since ids are
    only unique within the system that gave them."""
    first = child(prospect, "id")
    value = text(first)
    if not value:
        return ""
    source = " ".join((first.get("source") or "").split()) if first is not None else ""
    return (f"{source}:{value}" if source else value)[:200]


def _text(said: str, vehicles: list[Vehicle], prospect: Element, notes: list[str]) -> str:
    parts = [said] if said else []
    for v in vehicles:
        label = {"trade-in": "Trade-in", "sell": "To sell"}.get(v.interest)
        qualifiers = (v.status,) if label else (v.interest, v.status)
        said_of = ", ".join(q for q in qualifiers if q)
        parts.append(f"{label or 'Vehicle'}{f' ({said_of})' if said_of else ''}: {v.description}")
        if v.comments:
            parts.append(v.comments)
    timeframe = child(child(prospect, "customer"), "timeframe")
    if timeframe is not None:
        description = child_text(timeframe, "description")
        dates = [child_text(timeframe, t) for t in ("earliestdate", "latestdate")]
        span = f"between {dates[0]} and {dates[1]}" if all(dates) else "".join(dates)
        parts.append(
            "Timeframe: " + " ".join(x for x in (description, f"({span})" if span else "") if x)
        )
    vendor = child(prospect, "vendor")
    dealer = child_text(vendor, "vendorname") or _party_name(vendor)
    if dealer:
        parts.append(f"Dealer: {dealer}")
    provider = _party_name(child(prospect, "provider"))
    if provider:
        parts.append(f"Lead provider: {provider}")
    if attr(prospect, "status") == "resend":
        parts.append("Sent again by the lead provider (status resend).")
    return "\n".join(parts + notes)


def _party_name(party: Element | None) -> str:
    """A vendor's or provider's name: <name> directly, or its contact's name."""
    return child_text(party, "name") or child_text(child(party, "contact"), "name")
