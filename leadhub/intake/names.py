"""Splitting a person's full name, for vendors that send only one name field (pure)."""

from __future__ import annotations


def split_name(full: str) -> tuple[str, str]:
    """(first name, last name): the last word is the last name, the rest the first name;
    a single word is kept as the last name, which the domain requires (or a company)."""
    words = full.split()
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0]
    return " ".join(words[:-1]), words[-1]
