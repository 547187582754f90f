"""Which routing rule decides (B1): pure, compiled once per brand, sub-millisecond.

Rules are sorted by (order, key) and numbered; each condition becomes an index from a
value to the bitmask (a Python int) of the rules that accept it. Matching an enquiry is a
handful of dictionary lookups and big-int ANDs; the lowest set bit of the result is the
first matching rule. Explanations are built for that one rule only.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .postcodes import PostcodePattern, normalise_postcode, parse_postcode_pattern

DISCRETE = ("type", "channel", "country", "province", "language")


@dataclass(frozen=True)
class Facts:
    """What routing looks at of an enquiry."""

    type: str
    channel: str = ""
    country: str = ""
    postal_code: str = ""
    province: str = ""
    language: str = ""
    tags: frozenset[str] = frozenset()

    def value(self, attr: str) -> str:
        raw: str = getattr(self, attr)
        return raw.upper() if attr in ("country", "province") else raw.lower()


@dataclass(frozen=True)
class ZoneSpec:
    key: str
    country: str
    postal_codes: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()

    def why_contains(self, facts: Facts) -> str | None:
        """Why the enquiry lies in this zone, or None if it does not."""
        if facts.country.upper() != self.country.upper():
            return None
        if not self.postal_codes and not self.provinces:
            return f"country {self.country}"
        for text in self.postal_codes:
            if facts.postal_code and parse_postcode_pattern(text).matches(facts.postal_code):
                return f"postal code {facts.postal_code} matches {text}"
        if facts.province and facts.province.upper() in {p.upper() for p in self.provinces}:
            return f"province {facts.province.upper()}"
        return None


@dataclass(frozen=True)
class RuleSpec:
    key: str
    order: int
    when: Mapping[str, Any]
    then: Mapping[str, Any]

    def values(self, attr: str) -> list[str]:
        raw = self.when.get(attr)
        if raw is None:
            return []
        return [str(v) for v in ([raw] if isinstance(raw, (str, int)) else raw)]


@dataclass(frozen=True)
class Decision:
    rule: RuleSpec | None
    reasons: tuple[str, ...]  # why the rule matched, one phrase per condition

    def explain(self) -> str:
        if self.rule is None:
            return "no rule matched"
        because = "; ".join(self.reasons) if self.reasons else "it has no conditions"
        return f"rule {self.rule.key} (order {self.rule.order}) matched because {because}"


@dataclass
class _PostcodeIndex:
    exact: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    prefix: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Ranges bucketed by (the prefix both ends share, code length): a code only meets the
    # ranges in the buckets of its own prefixes, not all of them.
    ranges: dict[tuple[str, int], list[tuple[str, str, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, pattern: PostcodePattern, bit: int) -> None:
        if pattern.prefix:
            self.prefix[pattern.low] |= bit
        elif pattern.low == pattern.high:
            self.exact[pattern.low] |= bit
        else:
            shared = _shared_prefix(pattern.low, pattern.high)
            self.ranges[(shared, len(pattern.low))].append((pattern.low, pattern.high, bit))

    def freeze(self) -> None:
        for rows in self.ranges.values():
            rows.sort()

    def mask(self, code: str) -> int:
        code = normalise_postcode(code)
        if not code:
            return 0
        mask = self.exact.get(code, 0)
        for i in range(len(code) + 1):
            mask |= self.prefix.get(code[:i], 0) if i else 0
            rows = self.ranges.get((code[:i], len(code)))
            if rows:
                end = bisect.bisect_right(rows, (code, "\uffff", 0))
                for low, high, bit in rows[:end]:
                    if high >= code >= low:
                        mask |= bit
        return mask


class CompiledRules:
    """The rules of one brand, ready to match. Build once, match many times."""

    def __init__(self, rules: Iterable[RuleSpec], zones: Iterable[ZoneSpec]):
        self.rules: list[RuleSpec] = sorted(rules, key=lambda r: (r.order, r.key))
        self.zones = {z.key: z for z in zones}
        self.all = (1 << len(self.rules)) - 1
        # Every partner some rule offers to: routing reads their pools together.
        self.offer_keys = frozenset(k for r in self.rules for k in r.then.get("offer_to", ()))
        self.free: dict[str, int] = defaultdict(int)
        self.index: dict[str, dict[str, int]] = {
            a: defaultdict(int) for a in (*DISCRETE, "tags", "zone")
        }
        self.postcodes = _PostcodeIndex()
        for i, rule in enumerate(self.rules):
            bit = 1 << i
            for attr in (*DISCRETE, "tags", "zone"):
                values = rule.values(attr)
                if not values:
                    self.free[attr] |= bit
                for v in values:
                    key = (
                        v.upper()
                        if attr in ("country", "province")
                        else v
                        if attr == "zone"
                        else v.lower()
                    )
                    self.index[attr][key] |= bit
            codes = rule.values("postal_code")
            if not codes:
                self.free["postal_code"] |= bit
            for text in codes:
                self.postcodes.add(parse_postcode_pattern(text), bit)
        self.postcodes.freeze()
        # Zones are indexed too: a code meets the zones of its own prefixes, not every zone
        # of the country in turn (90 zones cost more than the rest of the decision).
        self.zone_countries: dict[str, int] = defaultdict(int)  # zones of a whole country
        self.zone_codes: dict[str, _PostcodeIndex] = defaultdict(_PostcodeIndex)
        self.zone_provinces: dict[tuple[str, str], int] = defaultdict(int)
        for zone in self.zones.values():
            bits = self.index["zone"].get(zone.key, 0)
            country = zone.country.upper()
            if not zone.postal_codes and not zone.provinces:
                self.zone_countries[country] |= bits
            for text in zone.postal_codes:
                self.zone_codes[country].add(parse_postcode_pattern(text), bits)
            for province in zone.provinces:
                self.zone_provinces[(country, province.upper())] |= bits
        for index in self.zone_codes.values():
            index.freeze()

    def decide(self, facts: Facts) -> Decision:
        mask = self.all
        for attr in DISCRETE:
            mask &= self.free[attr] | self.index[attr].get(facts.value(attr), 0)
            if not mask:
                return Decision(None, ())
        tag_mask = self.free["tags"]
        for tag in facts.tags:
            tag_mask |= self.index["tags"].get(tag.lower(), 0)
        mask &= tag_mask
        mask &= self.free["zone"] | self._zone_mask(facts)
        mask &= self.free["postal_code"] | self.postcodes.mask(facts.postal_code)
        if not mask:
            return Decision(None, ())
        rule = self.rules[(mask & -mask).bit_length() - 1]
        return Decision(rule, tuple(self.reasons(rule, facts)))

    def _zone_mask(self, facts: Facts) -> int:
        """The rules whose zone contains the enquiry (ZoneSpec.why_contains, indexed)."""
        country = facts.country.upper()
        mask = self.zone_countries.get(country, 0)
        codes = self.zone_codes.get(country)
        if codes is not None and facts.postal_code:
            mask |= codes.mask(facts.postal_code)
        if facts.province:
            mask |= self.zone_provinces.get((country, facts.province.upper()), 0)
        return mask

    def reasons(self, rule: RuleSpec, facts: Facts) -> list[str]:
        """Why `rule` matches `facts`: one phrase per condition (for history and explain)."""
        out: list[str] = []
        for attr in DISCRETE:
            values = rule.values(attr)
            if values:
                label = attr.replace("_", " ")
                out.append(f"{label} {facts.value(attr) or '(none)'} is {_one_of(values)}")
        if rule.values("tags"):
            hit = sorted(
                t for t in facts.tags if t.lower() in {v.lower() for v in rule.values("tags")}
            )
            out.append(f"tagged {', '.join(hit)}")
        for key in rule.values("zone"):
            zone = self.zones.get(key)
            why = zone.why_contains(facts) if zone else None
            if why:
                out.append(f"it lies in zone {key} ({why})")
                break
        codes = rule.values("postal_code")
        if codes:
            code = next(c for c in codes if parse_postcode_pattern(c).matches(facts.postal_code))
            out.append(f"postal code {facts.postal_code} matches {code}")
        return out

    def passed_over(self, facts: Facts, limit: int = 20) -> list[str]:
        """Rules before the deciding one and the first condition each failed (for explain)."""
        decided = self.decide(facts).rule
        out: list[str] = []
        for rule in self.rules:
            if rule is decided or len(out) >= limit:
                break
            single = CompiledRules([rule], self.zones.values())
            if single.decide(facts).rule is None:
                out.append(f"rule {rule.key} (order {rule.order}): {single.first_failure(facts)}")
        return out

    def first_failure(self, facts: Facts) -> str:
        rule = self.rules[0]
        for attr in DISCRETE:
            values = rule.values(attr)
            norm = {v.upper() if attr in ("country", "province") else v.lower() for v in values}
            if values and facts.value(attr) not in norm:
                return f"{attr.replace('_', ' ')} {facts.value(attr) or '(none)'} is not {_one_of(values)}"
        if rule.values("tags") and not {t.lower() for t in facts.tags} & {
            v.lower() for v in rule.values("tags")
        }:
            return f"not tagged {_one_of(rule.values('tags'))}"
        zones = rule.values("zone")
        if zones and not any(z in self.zones and self.zones[z].why_contains(facts) for z in zones):
            return f"it lies outside zone {_one_of(zones)}"
        return f"postal code {facts.postal_code or '(none)'} is outside {_one_of(rule.values('postal_code'))}"


def _shared_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _one_of(values: Sequence[str]) -> str:
    return values[0] if len(values) == 1 else "one of " + ", ".join(values)
