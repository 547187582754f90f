"""Reading a vendor's JSON body into FieldErrors the same way in every channel (pure)."""

from __future__ import annotations

import json
from typing import Any

from .leaddata import FieldError, IntakeError


def json_object(body: bytes) -> dict[str, Any]:
    try:
        raw = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IntakeError([FieldError("body", f"not valid JSON: {exc}")]) from exc
    if not isinstance(raw, dict):
        raise IntakeError([FieldError("body", "must be a JSON object")])
    return raw


def field_error(err: Any, prefix: str = "") -> FieldError:
    """A pydantic error as a FieldError, its location dotted and under `prefix`."""
    path = ".".join(str(part) for part in (prefix, *err["loc"]) if part != "") or "body"
    return FieldError(path, err["msg"])
