"""The five reports by name, as the pages, the API and the downloads ask for them."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.utils.translation import gettext_lazy as _

from leadhub.lib.sql import heavy_reads
from leadhub.orgs.models import Organisation

from .catalogue import catalogue
from .filters import Filters
from .overview import overview
from .quotes import DIMENSIONS, quotes
from .responsiveness import responsiveness
from .tables import Report

NAMES = {
    "overview": _("Overview"),
    "quotes": _("Quotes"),
    "samples": _("Samples"),
    "brochures": _("Brochures"),
    "responsiveness": _("Partner responsiveness"),
}


class UnknownReport(LookupError):
    pass


def build(name: str, org: Organisation, f: Filters, options: Mapping[str, str]) -> Report:
    """The report `name`; ValueError for a bad option (quotes' `by`)."""
    makers: dict[str, Callable[[], Report]] = {
        "overview": lambda: overview(org, f),
        "quotes": lambda: quotes(org, f, options.get("by") or "status"),
        "samples": lambda: catalogue(org, f, "sample"),
        "brochures": lambda: catalogue(org, f, "brochure"),
        "responsiveness": lambda: responsiveness(org, f),
    }
    if name not in makers:
        raise UnknownReport(name)
    # Prepared statements' generic plans gave single slow samples (docs/benchmarks.md).
    with heavy_reads():
        return makers[name]()


__all__ = ["DIMENSIONS", "NAMES", "UnknownReport", "build"]
