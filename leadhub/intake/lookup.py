"""Channels by key, kept in the process for a few seconds.

Every delivery needs its channel and brand; both change rarely (the network file), and
reading them cost each delivery a query. A token that no longer matches is read again
before the delivery is refused, so a new token works at once; the old one, a changed
brand or a removed channel reach every process within CHANNEL_TTL.
"""

from __future__ import annotations

from time import monotonic

from .models import Channel

CHANNEL_TTL = 5.0  # seconds
# Only channels that exist: unknown keys are not kept, so made-up keys cannot fill it.
_cache: dict[str, tuple[float, Channel]] = {}


def channel_by_key(key: str, *, fresh: bool = False) -> Channel | None:
    """The channel `key` with its brand; `fresh`: read it from the database."""
    now = monotonic()
    hit = _cache.get(key)
    if hit is not None and not fresh and now - hit[0] < CHANNEL_TTL:
        return hit[1]
    channel = Channel.objects.select_related("brand").filter(key=key).first()
    if channel is None:
        _cache.pop(key, None)
    else:
        _cache[key] = (now, channel)
    return channel


def forget() -> None:
    """Read every channel afresh next time (after the network file changed them)."""
    _cache.clear()
