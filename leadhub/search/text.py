"""The pure part of search (E2): folding text, reading a typed-in query, snippets.

No database here. Folding is lower case without accents (the Python twin of PostgreSQL's
`lower(unaccent(...))`, used on SQLite); words are what the user typed, split on spaces.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The "category" filter of the seeds' search ("by category: enquiry number, documents,
# site address, contact data, notes, responsible person"), in the order results say where
# they matched. Decision 0049.
CATEGORIES = ("number", "contact", "site", "responsible", "notes", "documents")

MIN_WORD = 3  # at least one word this long: "a" or "of" alone would find everything
MAX_WORDS = 8
MAX_QUERY = 200

# Letters NFKD does not take apart, as PostgreSQL's unaccent rules write them.
_SPECIAL = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae",
     "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "\u0131": "i"}
)  # fmt: skip
# What separates words when a text is matched word by word (SQLite, snippets): anything but
# letters, digits and the characters e-mails, numbers and phones are made of.
_SEPARATORS = re.compile(r"[^\w.@/+\-]+")
_NUMBER_IN_URL = re.compile(r"^(\d{6})-(\d+)$")  # 250417-000123, as URLs write 250417/000123
_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'«»“”„\u2018\u2019"


def fold(text: str) -> str:
    """Lower case without accents: "Müller Łódź" -> "muller lodz"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold_words(text: str) -> str:
    """Folded, with single spaces between words: what SQLite matches word starts in."""
    return " ".join(_SEPARATORS.sub(" ", fold(text)).split())


class QueryRefused(ValueError):
    """The query cannot be searched; the message says why, in words for the user."""


@dataclass(frozen=True)
class Query:
    """A search: the words typed in, what to search in, which enquiries (type, dates)."""

    words: tuple[str, ...]
    category: str = ""  # one of CATEGORIES, or "" for all
    type: str = ""  # an enquiry type (the categories of rights, B9), or "" for all
    created_from: date | None = None
    created_to: date | None = None  # inclusive

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def number(self) -> str | None:
        """The enquiry number the query is, when it is one (for "exact number first")."""
        if len(self.words) == 1 and re.fullmatch(r"\d{6}/\d+", self.words[0]):
            return self.words[0]
        return None


def read_query(
    text: str,
    *,
    category: str = "",
    type: str = "",
    created_from: date | None = None,
    created_to: date | None = None,
) -> Query:
    """The user's words as a Query; QueryRefused when nothing sensible can be searched."""
    if category and category not in CATEGORIES:
        raise QueryRefused(f"Search in one of: {', '.join(CATEGORIES)}.")
    if created_from and created_to and created_from > created_to:
        raise QueryRefused("The date range ends before it starts.")
    words: list[str] = []
    for raw in text[:MAX_QUERY].split():
        word = raw.strip(_EDGE_PUNCTUATION)
        word = _NUMBER_IN_URL.sub(r"\1/\2", word)
        if len(word) >= 2 and any(c.isalnum() for c in word) and word not in words:
            words.append(word)
    if not any(len(w) >= MIN_WORD for w in words):
        raise QueryRefused(
            f"Type at least {MIN_WORD} letters or digits of a name, number, e-mail, phone, "
            "address or note."
        )
    return Query(tuple(words[:MAX_WORDS]), category, type, created_from, created_to)


def like_pattern(folded_word: str) -> str:
    """A LIKE pattern finding the word anywhere (escaped with backslash)."""
    escaped = folded_word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def tsquery_word(word: str) -> str:
    """One word as to_tsquery() input: quoted, as a prefix ("ross" finds Rossi)."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "':*"


_ONE_PREFIX = re.compile(r"'((?:[^'\\]|''|\\.)*)':\*")  # a tsquery's text: 'lexeme':*


def fewest_prefixes(variants: list[str]) -> str:
    """The OR of a word's tsqueries (its text in each configuration) without those another
    one implies: 'julia':* and 'juli':* go when 'jul':* is there, duplicates go. The same
    documents match, with fewer operands to look up per vector and in the index (a name
    came as seven operands, one of them enough)."""
    prefixes: dict[str, str] = {}  # lexeme -> the tsquery's text
    others: list[str] = []
    for v in variants:
        m = _ONE_PREFIX.fullmatch(v.strip())
        if m:
            prefixes[re.sub(r"''|\\(.)", lambda c: c.group(1) or "'", m.group(1))] = v.strip()
        elif v.strip() and v.strip() not in others:
            others.append(v.strip())
    kept = [
        text
        for lexeme, text in prefixes.items()
        if not any(lexeme.startswith(o) and lexeme != o for o in prefixes)
    ]
    return " | ".join([*kept, *(f"( {t} )" for t in others)])


# --------------------------------------------------------------------------- snippets


@dataclass(frozen=True)
class Snippet:
    """A short stretch of text around what matched; `marks` are (start, end) in `text`."""

    text: str
    marks: tuple[tuple[int, int], ...]

    def html(self) -> SafeString:
        """The text escaped, the matches in <mark>."""
        out, at = [], 0
        for start, end in self.marks:
            out += [escape(self.text[at:start]), "<mark>", escape(self.text[start:end]), "</mark>"]
            at = end
        out.append(escape(self.text[at:]))
        return mark_safe("".join(out))  # every piece of text above is escaped


_fold_char = functools.lru_cache(maxsize=4096)(fold)


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, where it came from in `text`."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    folded, origin = [], []
    for i, c in enumerate(text):
        for f in _fold_char(c):
            folded.append(f)
            origin.append(i)
    return "".join(folded), origin


def find_words(text: str, words: tuple[str, ...], anywhere: bool = False) -> list[tuple[int, int]]:
    """(start, end) in `text` of each place a word matches: at the start of a word of the
    text, or `anywhere` (numbers, names and phones are also found by fragments)."""
    folded, origin = _folded_with_positions(text)
    spans: list[tuple[int, int]] = []
    for word in {fold(w) for w in words}:
        for m in re.finditer(re.escape(word), folded):
            s = m.start()
            if anywhere or s == 0 or _SEPARATORS.match(folded[s - 1]):
                spans.append((origin[s], origin[m.end() - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def snippet(
    text: str, words: tuple[str, ...], *, anywhere: bool = False, width: int = 90
) -> Snippet:
    """About `width` characters of `text` around its first match, matches marked."""
    text = " ".join(text.split())
    spans = find_words(text, words, anywhere)
    if len(text) <= width:
        return Snippet(text, tuple(spans))
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 3, len(text) - width))
    if start > 0:  # start at a word
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    cut = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    shift = len(prefix) - start
    marks = tuple((s + shift, min(e, end) + shift) for s, e in spans if s >= start and s < end)
    return Snippet(prefix + cut + suffix, marks)
