"""Which enquiry type an ADF prospect becomes (decision 0026; the table is in docs/intake.md).

ADF states intent per vehicle (`interest` = buy | lease | sell | trade-in | test-drive);
a prospect usually has one vehicle of interest and maybe a trade-in. Many dealer web
forms send interest="buy" and put the real wish in the comments, so the comments count too.
"""

from __future__ import annotations

import re

# Spelling variants seen in the wild, normalised to the spec's values.
ALIASES = {
    "testdrive": "test-drive",
    "test drive": "test-drive",
    "test_drive": "test-drive",
    "tradein": "trade-in",
    "trade in": "trade-in",
    "trade_in": "trade-in",
    "purchase": "buy",
}
QUOTE_INTERESTS = {"buy", "lease", "sell", "trade-in"}

TEST_DRIVE_WORDS = re.compile(
    r"test[\s-]?drive|probefahrt|essai routier|prova su strada|jazd\w* próbn", re.IGNORECASE
)
BROCHURE_WORDS = re.compile(
    r"brochure|prospekt|catalog|katalog|depliant|broszur|dépliant", re.IGNORECASE
)


def normal_interest(raw: str) -> str:
    """The spec's value for an interest attribute; ADF's default when it is missing is buy."""
    value = " ".join(raw.lower().split())
    return ALIASES.get(value, value) or "buy"


def enquiry_type(interests: list[str], comments: str) -> str:
    """`interests`: the normalised interest of every vehicle of the prospect, in order."""
    if "test-drive" in interests or TEST_DRIVE_WORDS.search(comments):
        return "test_drive"
    if "brochure" in interests or BROCHURE_WORDS.search(comments):
        return "brochure"
    if any(i in QUOTE_INTERESTS for i in interests):
        return "quote"
    return "other"  # no vehicle, or only interests we do not know
