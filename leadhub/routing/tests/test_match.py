"""Rule matching: hand-written cases, and a property against a naive reference matcher."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from leadhub.routing.match import CompiledRules, Facts, RuleSpec, ZoneSpec
from leadhub.routing.postcodes import parse_postcode_pattern

ZONES = [
    ZoneSpec("trentino", "IT", ("38*",)),
    ZoneSpec("south-tyrol", "IT", ("39000-39999",), ("BZ",)),
    ZoneSpec("tyrol", "AT", ("6*",)),
    ZoneSpec("poland", "PL"),
    ZoneSpec("verona", "IT", ("37000-37999", "3712*"), ("VR", "vi")),
]


def rule(key: str, order: int, **when: Any) -> RuleSpec:
    return RuleSpec(key, order, when, {"dispatcher": True})


def decide(rules: list[RuleSpec], **facts: Any) -> str | None:
    decision = CompiledRules(rules, ZONES).decide(Facts(**facts))
    return decision.rule.key if decision.rule else None


def test_first_matching_rule_by_order_wins() -> None:
    rules = [rule("late", 50), rule("early", 10, type="quote"), rule("middle", 20, type="quote")]
    assert decide(rules, type="quote") == "early"
    assert decide(rules, type="brochure") == "late"


def test_any_of_and_all_conditions() -> None:
    rules = [rule("r", 1, type=["quote", "appointment"], country="it", language=["de", "it"])]
    assert decide(rules, type="appointment", country="IT", language="DE") == "r"
    assert decide(rules, type="appointment", country="AT", language="de") is None
    assert decide(rules, type="sample", country="IT", language="de") is None


def test_postal_codes_exact_prefix_and_range() -> None:
    rules = [
        rule("exact", 1, postal_code="39100"),
        rule("prefix", 2, postal_code="38*"),
        rule("range", 3, postal_code=["37000-37999", "00-001-00-999"]),
    ]
    assert decide(rules, type="quote", postal_code="39100") == "exact"
    assert decide(rules, type="quote", postal_code="38122") == "prefix"
    assert decide(rules, type="quote", postal_code="37122") == "range"
    assert decide(rules, type="quote", postal_code="00-950") == "range"
    assert decide(rules, type="quote", postal_code="36100") is None
    assert decide(rules, type="quote") is None


def test_zones_by_postal_code_province_or_whole_country() -> None:
    rules = [
        rule("st", 1, zone="south-tyrol"),
        rule("tn", 2, zone="trentino"),
        rule("pl", 3, zone="poland"),
    ]
    assert decide(rules, type="quote", country="IT", postal_code="39012") == "st"
    assert decide(rules, type="quote", country="IT", province="bz") == "st"
    assert decide(rules, type="quote", country="IT", postal_code="38100") == "tn"
    assert decide(rules, type="quote", country="AT", postal_code="39012") is None  # wrong country
    assert decide(rules, type="quote", country="PL", postal_code="31-019") == "pl"


def test_tags_channel_and_province() -> None:
    rules = [
        rule("vip", 1, tags=["VIP", "press"]),
        rule("conf", 2, channel="configurator", province="TN"),
    ]
    assert decide(rules, type="quote", tags=frozenset({"vip"})) == "vip"
    assert decide(rules, type="quote", channel="configurator", province="tn") == "conf"
    assert decide(rules, type="quote", channel="configurator", province="bz") is None


def test_explanations_in_plain_words() -> None:
    compiled = CompiledRules(
        [
            rule("no", 1, type="sample"),
            rule("tn-quotes", 5, type=["quote", "appointment"], zone="trentino"),
        ],
        ZONES,
    )
    facts = Facts(type="quote", country="IT", postal_code="38122")
    assert compiled.decide(facts).explain() == (
        "rule tn-quotes (order 5) matched because type quote is one of quote, appointment; "
        "it lies in zone trentino (postal code 38122 matches 38*)"
    )
    assert compiled.passed_over(facts) == ["rule no (order 1): type quote is not sample"]
    assert CompiledRules([rule("all", 1)], []).decide(facts).explain() == (
        "rule all (order 1) matched because it has no conditions"
    )


# --- property: the compiled matcher agrees with the obvious one -------------------------

TYPES = ["quote", "sample", "brochure"]
COUNTRIES = ["IT", "AT", "PL"]
CODES = ["38100", "38122", "39012", "39100", "6020", "31-019", "37122", "37999", ""]
PATTERNS = ["38*", "39000-39999", "39100", "6*", "3*", "37000-37999", "31-000-31-999"]


def naive(rules: list[RuleSpec], zones: list[ZoneSpec], f: Facts) -> str | None:
    def ok(r: RuleSpec) -> bool:
        checks = {
            "type": f.type,
            "channel": f.channel,
            "country": f.country.upper(),
            "province": f.province.upper(),
            "language": f.language,
        }
        for attr, value in checks.items():
            vals = r.values(attr)
            if vals and value not in {
                v.upper() if attr in ("country", "province") else v for v in vals
            }:
                return False
        if r.values("tags") and not set(r.values("tags")) & f.tags:
            return False
        if r.values("postal_code") and not any(
            parse_postcode_pattern(p).matches(f.postal_code) for p in r.values("postal_code")
        ):
            return False
        zs = [z for z in zones if z.key in r.values("zone")]
        return not r.values("zone") or any(z.why_contains(f) for z in zs)

    for r in sorted(rules, key=lambda r: (r.order, r.key)):
        if ok(r):
            return r.key
    return None


def sub(values: list[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), max_size=2, unique=True)


@st.composite
def rule_sets(draw: st.DrawFn) -> list[RuleSpec]:
    rules = []
    for i in range(draw(st.integers(1, 12))):
        when: dict[str, Any] = {}
        for attr, values in (
            ("type", TYPES),
            ("country", COUNTRIES),
            ("postal_code", PATTERNS),
            ("zone", [z.key for z in ZONES]),
            ("tags", ["vip", "press"]),
        ):
            chosen: list[str] = draw(sub(values))
            used: bool = draw(st.booleans())
            if chosen and used:
                when[attr] = chosen
        rules.append(RuleSpec(f"r{i}", draw(st.integers(0, 5)), when, {"dispatcher": True}))
    return rules


@settings(max_examples=300, deadline=None)
@given(
    rule_sets(),
    st.sampled_from(TYPES),
    st.sampled_from(COUNTRIES),
    st.sampled_from(CODES),
    st.frozensets(st.sampled_from(["vip", "press", "other"]), max_size=2),
    st.sampled_from(["", "BZ", "vr", "VI", "TN"]),
)
def test_compiled_matcher_agrees_with_naive_one(
    rules: list[RuleSpec],
    type_: str,
    country: str,
    code: str,
    tags: frozenset[str],
    province: str,
) -> None:
    facts = Facts(type=type_, country=country, postal_code=code, tags=tags, province=province)
    decision = CompiledRules(rules, ZONES).decide(facts)
    assert (decision.rule.key if decision.rule else None) == naive(rules, ZONES, facts)
