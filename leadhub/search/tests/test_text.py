"""The pure part of search: folding, reading queries, snippets."""

from __future__ import annotations

import datetime as dt

import pytest

from leadhub.search.text import (
    QueryRefused,
    fewest_prefixes,
    find_words,
    fold,
    fold_words,
    like_pattern,
    read_query,
    snippet,
    tsquery_word,
)


def test_fold_takes_accents_and_case_off_like_unaccent() -> None:
    assert fold("Müller Łódź Straße Ærø Kraków ÉCOLE") == "muller lodz strasse aero krakow ecole"
    assert (
        fold_words("Rossi, Mario (BZ) m.rossi@example.com") == "rossi mario bz m.rossi@example.com"
    )


@pytest.mark.parametrize("typed", ["", "  ", "a", "ab", "a b c", "-- !!", "xy z"])
def test_too_short_queries_are_refused_with_a_reason(typed: str) -> None:
    with pytest.raises(QueryRefused, match="at least 3"):
        read_query(typed)


def test_words_are_cleaned_deduplicated_and_numbers_read_as_written() -> None:
    q = read_query(' "Rossi," rossi, Bolzano  a 250417-000123 ')
    assert q.words == ("Rossi", "rossi", "Bolzano", "250417/000123")
    assert read_query("250417-000123").number == "250417/000123"
    assert read_query("Rossi").number is None


def test_filters_are_checked() -> None:
    with pytest.raises(QueryRefused):
        read_query("rossi", category="everything")
    with pytest.raises(QueryRefused):
        read_query("rossi", created_from=dt.date(2025, 2, 1), created_to=dt.date(2025, 1, 1))


def test_patterns_escape_what_sql_would_read() -> None:
    assert like_pattern("50%_off\\") == "%50\\%\\_off\\\\%"
    assert tsquery_word("o'brien") == "'o''brien':*"


def test_a_words_prefixes_implied_by_a_shorter_one_are_left_out() -> None:
    # "julia" in the seven configurations, as PostgreSQL writes them
    julia = ["'julia':*", "'julia':*", "'julia':*", "'juli':*", "'juli':*", "'jul':*", "'jul':*"]
    assert fewest_prefixes(julia) == "'jul':*"
    assert fewest_prefixes(["'ross':*", "'rossi':*", "'bolz':*"]) == "'ross':* | 'bolz':*"
    # quotes are compared unescaped; phrases (several tokens) are kept whole, once
    assert fewest_prefixes(["'o''b':*", "'o''brien':*", ""]) == "'o''b':*"
    phrase = "'o':* <-> 'clock':*"
    assert fewest_prefixes([phrase, "'oclock':*", phrase]) == f"'oclock':* | ( {phrase} )"
    assert fewest_prefixes(["", ""]) == ""


def test_words_are_found_at_word_starts_or_anywhere() -> None:
    text = "Sig. Jörg Müller, +390471555666"
    assert find_words(text, ("muller",)) == [(10, 16)]
    assert find_words(text, ("uller",)) == []
    assert find_words(text, ("0471",), anywhere=True) == [(21, 25)]


def test_snippets_mark_matches_and_escape_everything_else() -> None:
    s = snippet("<script>alert(1)</script> the skylight & door", ("skylight",))
    html = str(s.html())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>skylight</mark> &amp; door" in html


def test_long_texts_are_cut_around_the_first_match() -> None:
    text = " ".join(f"word{i}" for i in range(100)) + " Skylight " + "tail " * 50
    s = snippet(text, ("skyl",), width=60)
    assert s.text.startswith("… ") and s.text.endswith(" …") and len(s.text) <= 66
    start, end = s.marks[0]
    assert s.text[start:end] == "Skyl"
