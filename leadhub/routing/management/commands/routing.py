"""leadhub routing explain --type quote --country IT --postal-code 39100 [...]: the decision,
without storing anything (what brand admins use to test their rules)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from leadhub.orgs.models import Organisation
from leadhub.routing.compiled import compiled_rules
from leadhub.routing.match import Facts


class Command(BaseCommand):
    help = "Explain which routing rule would decide an enquiry, and what it would do."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        explain = sub.add_parser("explain", help="print the decision for an imagined enquiry")
        explain.add_argument("--brand", help="brand key (default: the only brand)")
        explain.add_argument("--type", required=True)
        explain.add_argument("--channel", default="")
        explain.add_argument("--country", default="")
        explain.add_argument("--postal-code", default="")
        explain.add_argument("--province", default="")
        explain.add_argument("--language", default="")
        explain.add_argument("--tag", action="append", default=[], help="may be repeated")

    def handle(self, *args: Any, **o: Any) -> None:
        brands = Organisation.objects.filter(kind="brand")
        if o["brand"]:
            brands = brands.filter(key=o["brand"])
        found = list(brands[:2])
        if len(found) != 1:
            raise CommandError("name the brand with --brand" if found else "no such brand")
        brand = found[0]
        facts = Facts(
            type=o["type"],
            channel=o["channel"],
            country=o["country"],
            postal_code=o["postal_code"],
            province=o["province"],
            language=o["language"],
            tags=frozenset(o["tag"]),
        )
        compiled = compiled_rules(brand)
        decision = compiled.decide(facts)
        for line in compiled.passed_over(facts):
            self.stdout.write(f"passed over: {line}")
        self.stdout.write(decision.explain())
        then = decision.rule.then if decision.rule else {"dispatcher": True}
        self.stdout.write("then: " + ", ".join(f"{k}={v}" for k, v in then.items()))
