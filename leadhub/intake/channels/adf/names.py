"""Splitting a name given whole (<name part="full">), as many lead providers send it."""

from __future__ import annotations

from dataclasses import dataclass

TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "herr", "frau", "sig", "sig.ra",
    "signor", "signora", "dott", "dott.ssa", "ing", "arch", "m", "mme", "mlle", "pan", "pani",
}  # fmt: skip
# Lower-case words that begin a family name ("Ludwig van Beethoven", "Luca de Rossi").
PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le", "zu"}  # fmt: skip


@dataclass(frozen=True)
class Name:
    title: str = ""
    first: str = ""
    last: str = ""


def split_full_name(full: str) -> Name:
    """ "Last, First" as written; otherwise the last word (with any particles before it)
    is the family name and the rest the given names; a leading title is kept apart."""
    full = " ".join(full.split())
    if "," in full:
        last, _, given = full.partition(",")
        title, words = _title(given.split())
        return Name(title=title, first=" ".join(words), last=last.strip())
    title, words = _title(full.split())
    if len(words) <= 1:
        return Name(title=title, last=" ".join(words))
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in PARTICLES:
        cut -= 1
    return Name(title=title, first=" ".join(words[:cut]), last=" ".join(words[cut:]))


def _title(words: list[str]) -> tuple[str, list[str]]:
    if len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        return words[0], words[1:]
    return "", words
