"""Compiled rules per brand, cached in the process and rebuilt when the brand's rules change."""

from __future__ import annotations

from leadhub.orgs.models import Organisation

from .match import CompiledRules, RuleSpec, ZoneSpec
from .models import Rule, Zone

_cache: dict[int, tuple[int, CompiledRules]] = {}


def compiled_rules(brand: Organisation) -> CompiledRules:
    """The brand's rules ready to match; `routing_version` tells when to rebuild."""
    hit = _cache.get(brand.pk)
    if hit is not None and hit[0] == brand.routing_version:
        return hit[1]
    compiled = CompiledRules(
        [RuleSpec(r.key, r.order, r.when, r.then) for r in Rule.objects.filter(brand=brand)],
        [
            ZoneSpec(z.key, z.country, tuple(z.postal_codes), tuple(z.provinces))
            for z in Zone.objects.filter(brand=brand)
        ],
    )
    _cache[brand.pk] = (brand.routing_version, compiled)
    return compiled


def forget() -> None:
    """Drop every brand's compiled rules (tests: SQLite reuses rolled-back primary keys)."""
    _cache.clear()
