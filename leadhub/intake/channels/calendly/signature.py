"""`Calendly-Webhook-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (pure)."""

from __future__ import annotations

import hashlib
import hmac


def signature_ok(body: bytes, header: str, signing_key: str, *, now: float, tolerance: int) -> bool:
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        parts.setdefault(name, []).append(value.strip())
    try:
        (t,) = parts.get("t", [])
        sent_at = int(t)
    except ValueError:
        return False
    if abs(now - sent_at) > tolerance:
        return False
    expected = hmac.new(signing_key.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    # Several v1 values may come while a key is rotated: any one that matches will do.
    return any(hmac.compare_digest(v.lower(), expected) for v in parts.get("v1", []))


def sign(body: bytes, signing_key: str, *, at: int) -> str:
    """The header Calendly would send; for tests and for trying a channel by hand."""
    digest = hmac.new(signing_key.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"
