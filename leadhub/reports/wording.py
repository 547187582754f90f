"""Words of a heading set into a sentence ("Quote enquiries by channel")."""

from __future__ import annotations

from django.utils.translation import get_language

# Languages that write nouns with a capital letter inside a sentence.
_CAPITALISED_NOUNS = ("de",)


def in_sentence(word: str) -> str:
    """`word` (a translated column label such as "Channel") as it reads mid-sentence."""
    language = (get_language() or "en").split("-")[0]
    return word if language in _CAPITALISED_NOUNS else word.lower()
