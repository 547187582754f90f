"""The company key (pure): a company name folded so that spellings of one company meet,
to show colleagues together. Our own small normaliser: legal forms of the countries we
serve, accents, case and punctuation (decision 0045)."""

from __future__ import annotations

import re
import unicodedata

# Legal forms, already folded (lower case, no accents, punctuation as spaces), as words.
LEGAL_FORMS = (
    "gmbh & co kg", "gmbh co kg", "gmbh", "ag", "kg", "ohg", "ug", "e k", "ek", "gbr", "mbh",
    "s r l s", "s r l", "srls", "srl", "s p a", "spa", "s a s", "sas", "s n c", "snc",
    "sp z o o", "spzoo", "s a", "sa", "s l", "sl", "s l u", "slu", "lda", "unipessoal",
    "sarl", "s a r l", "eurl", "sasu", "ltd", "limited", "inc", "llc", "plc", "co", "corp",
    "bv", "b v", "nv", "n v", "og", "e u", "eu",
)  # fmt: skip
_TAIL = re.compile(
    r"(?:\s+(?:"
    + "|".join(re.escape(f) for f in sorted(LEGAL_FORMS, key=len, reverse=True))
    + r"))+$"
)


def company_key(name: str) -> str:
    """'Fenster Müller GmbH & Co. KG' -> 'fenster muller'; '' for no name."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("ß", "ss")
    words = " ".join(re.sub(r"[^\w&]+", " ", plain).split())
    stripped = _TAIL.sub("", words).strip(" &")
    return (stripped or words)[:200]
