"""Routing decision time with 10,000 rules and 1,000 partners (issue 3; target p99 < 2 ms).

Pure: the brand's rules are compiled once (as `leadhub.routing.compiled` caches them per
process) and then decide for 20,000 generated enquiries. Also reports the compile time.

    .venv/bin/python bench/routing.py [--rules 10000] [--partners 1000] [--enquiries 20000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from leadhub.routing.match import CompiledRules, Facts, RuleSpec, ZoneSpec

TYPES = [
    "quote",
    "sample",
    "brochure",
    "appointment",
    "test_drive",
    "event",
    "relationship",
    "other",
]
COUNTRIES = ["IT", "AT", "DE", "PL", "FR", "CH"]


def generate(rules: int, partners: int, seed: int = 1) -> tuple[list[RuleSpec], list[ZoneSpec]]:
    rng = random.Random(seed)
    zones = [ZoneSpec(f"z{i}", rng.choice(COUNTRIES), (f"{i % 100:02d}*",), ()) for i in range(500)]
    specs = []
    for i in range(rules - 1):
        when: dict[str, object] = {}
        shape = i % 5
        if shape == 0:  # a postal-code range and a type
            low = rng.randrange(10000, 99000)
            when = {
                "postal_code": f"{low}-{low + rng.randrange(1, 900)}",
                "type": rng.sample(TYPES, 2),
            }
        elif shape == 1:  # a zone
            when = {"zone": rng.choice(zones).key}
        elif shape == 2:  # a prefix within a country
            when = {"country": rng.choice(COUNTRIES), "postal_code": f"{rng.randrange(10, 99)}*"}
        elif shape == 3:  # channel + language
            when = {"channel": f"ch{rng.randrange(50)}", "language": rng.choice(["de", "it", "pl"])}
        else:  # exact postal codes
            when = {"postal_code": [str(rng.randrange(10000, 99999)) for _ in range(3)]}
        pool = [f"p{rng.randrange(partners)}" for _ in range(rng.randrange(1, 6))]
        specs.append(RuleSpec(f"r{i}", i, when, {"offer_to": pool, "strategy": "least_loaded"}))
    specs.append(RuleSpec("fallback", rules, {}, {"dispatcher": True}))
    return specs, zones


def facts(n: int, seed: int = 2) -> list[Facts]:
    rng = random.Random(seed)
    return [
        Facts(
            type=rng.choice(TYPES),
            channel=f"ch{rng.randrange(60)}",
            country=rng.choice(COUNTRIES),
            postal_code=str(rng.randrange(10000, 99999)),
            language=rng.choice(["de", "it", "pl", "en"]),
        )
        for _ in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument("--partners", type=int, default=1_000)
    parser.add_argument("--enquiries", type=int, default=20_000)
    args = parser.parse_args()
    rules, zones = generate(args.rules, args.partners)
    started = time.perf_counter()
    compiled = CompiledRules(rules, zones)
    compile_ms = (time.perf_counter() - started) * 1000
    samples = []
    matched = 0
    for f in facts(args.enquiries):
        t = time.perf_counter_ns()
        decision = compiled.decide(f)
        samples.append((time.perf_counter_ns() - t) / 1e6)
        matched += decision.rule is not None and decision.rule.key != "fallback"
    samples.sort()

    def p(q: float) -> float:
        return samples[min(len(samples) - 1, int(q * len(samples)))]

    print(
        f"rules={args.rules} partners={args.partners} decisions={len(samples)} "
        f"(matched a non-fallback rule: {matched})"
    )
    print(f"compile: {compile_ms:.0f} ms")
    print(
        f"decide: median {statistics.median(samples):.3f} ms, p99 {p(0.99):.3f} ms, max {samples[-1]:.3f} ms"
    )


if __name__ == "__main__":
    main()
