"""Pure rules of the file formats (decision 0043): the formula guard and the CSV dialect
per language. No database, no Django."""

from __future__ import annotations

# A spreadsheet program reads a cell starting with one of these as a formula (or, for
# tab and carriage return, strips them and then may). OWASP's "CSV injection" list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Languages whose users write 1.234,50: their spreadsheet programs split CSV at ";"
# (the comma is the decimal mark). English writes 1,234.50 and splits at ",".
DECIMAL_COMMA = frozenset({"de", "fr", "it", "pl"})


def needs_guard(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def guard(text: str) -> str:
    """The text a spreadsheet shows as text: a leading apostrophe where it could be
    read as a formula ("=1+1" -> "'=1+1"), else unchanged."""
    return "'" + text if needs_guard(text) else text


def base_language(language: str) -> str:
    return language.split("-")[0].split("_")[0].lower()


def uses_decimal_comma(language: str) -> bool:
    return base_language(language) in DECIMAL_COMMA


def csv_separator(language: str) -> str:
    return ";" if uses_decimal_comma(language) else ","


def decimal_text(value: object, language: str) -> str:
    """An amount as its language writes it, without grouping: "1234.50" or "1234,50"."""
    text = f"{value:.2f}" if not isinstance(value, str) else value
    return text.replace(".", ",") if uses_decimal_comma(language) else text
