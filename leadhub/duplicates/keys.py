"""Match keys of a contact (pure, decision 0046): what two records of one person share
even when typed differently. E-mail by the provider's own rules, phone in E.164, national
id without separators, names and addresses folded (case, diacritics, punctuation)."""

from __future__ import annotations

import re
import unicodedata

from leadhub.contacts.identifiers import IdentifierError, normalise_phone

# Providers that document ignoring dots in the local part (Gmail only) and those that
# document "+tag" sub-addressing. Elsewhere a "+" or "." may be part of a real mailbox.
DOTLESS = frozenset({"gmail.com"})
PLUS_TAGS = frozenset(
    {
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "fastmail.com",
        "proton.me",
        "protonmail.com",
    }
)
SAME_DOMAIN = {"googlemail.com": "gmail.com"}

# Letters NFKD does not take apart into a base letter and a mark.
LETTERS = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "\u0131": "i", "ß": "ss",
     "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th"}
)  # fmt: skip
NOT_WORD = re.compile(r"[^0-9a-z]+")


def email_key(email: str) -> str:
    """The mailbox an address delivers to, as far as its provider documents it."""
    text = email.strip().lower()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        return text
    domain = SAME_DOMAIN.get(domain, domain)
    if domain in PLUS_TAGS:
        local = local.split("+", 1)[0] or local
    if domain in DOTLESS:
        local = local.replace(".", "") or local
    return f"{local}@{domain}"


def phone_key(phone: str, country: str = "") -> str:
    """E.164, or "" when it is no valid number (then it matches nothing)."""
    text = phone.strip()
    if not text:
        return ""
    try:
        return normalise_phone(text, country or None)
    except IdentifierError:
        return ""


def national_id_key(value: str) -> str:
    return NOT_WORD.sub("", value.lower()).upper()


def fold(text: str) -> str:
    """Lower case, without diacritics or punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LETTERS))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(NOT_WORD.sub(" ", plain).split())


def name_key(first: str, last: str) -> str:
    """The folded words of both names, sorted: "Kowalski Jan" is "Jan Kowalski"."""
    return " ".join(sorted(fold(f"{first} {last}").split()))


def postal_key(postal_code: str) -> str:
    return NOT_WORD.sub("", postal_code.lower()).upper()


def name_entry(first: str, last: str, postal_code: str) -> tuple[str, str] | None:
    """A contact's ContactName row (folded name, postal code); None without a name."""
    name = name_key(first, last)
    return (name[:200], postal_key(postal_code)) if name else None
