"""A labelled set of person-record pairs, generated deterministically (seeded): true
duplicates typed differently (typos, swapped names, diacritics, phone formats, Gmail dots
and +tags, e-mail case, national id) and false ones that look alike (a company's
switchboard, a common surname, family members at one address, namesakes elsewhere)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from leadhub.duplicates.scoring import Person, person

FIRST = [
    "Jan", "Józef", "Łukasz", "Małgorzata", "Zofia", "Agnieszka", "Krzysztof", "Tomasz",
    "François", "Hélène", "Jérôme", "Zoë", "Jürgen", "Jörg", "Käthe", "Björn", "Luca",
    "Giulia", "Niccolò", "Mattia", "Chiara", "José", "Inés", "Sergio", "Ana", "João",
]  # fmt: skip
LAST = [
    "Kowalski", "Wójcik", "Dąbrowski", "Szczepańska", "Lewandowski", "Zieliński",
    "Müller", "Schröder", "Weißmann", "Köhler", "Bähr", "Lefèvre", "Dubois", "Garçon",
    "Moretti", "Bianchi", "Esposito", "Colombo", "Fernández", "Muñoz", "Gonçalves",
    "Rossi", "Conti", "Ricci", "Marino", "Greco",
]  # fmt: skip
STREETS = ["Via Roma", "ul. Długa", "Hauptstraße", "Rue de la Paix", "Calle Mayor", "Via Dante"]
COMMON_LAST = ["Rossi", "Kowalski", "Müller", "García"]


@dataclass(frozen=True)
class Pair:
    a: Person
    b: Person
    duplicate: bool
    case: str


def _base(rng: random.Random, i: int) -> dict[str, Any]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return {
        "first_name": first,
        "last_name": last,
        "emails": [f"{_ascii(first)}.{_ascii(last)}{i}@example.com"],
        "phones": [f"+48 60{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(100, 999)}"],
        "postal_code": f"{rng.randint(10, 99)}-{rng.randint(100, 999)}",
        "street": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        "city": rng.choice(["Kraków", "Bolzano", "München", "Lyon", "Sevilla"]),
        "country": "PL",
    }


def _ascii(text: str) -> str:
    from leadhub.duplicates.keys import fold

    return fold(text).replace(" ", "")


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word + word[-1]
    i = rng.randint(1, len(word) - 2)
    kind = rng.choice(["swap", "drop", "double"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _other_number(rng: random.Random) -> list[str]:
    return [f"+48 69{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(100, 999)}"]


def _national(p: str) -> str:
    return p


# --- true duplicates -------------------------------------------------------------------


def typo_same_postal(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    return {**b, "last_name": _typo(rng, b["last_name"]), "emails": [], "phones": []}


def swapped_names(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    return {**b, "first_name": b["last_name"], "last_name": b["first_name"], "emails": []}


def no_diacritics(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    return {
        **b,
        "first_name": _ascii(b["first_name"]).upper(),
        "last_name": _ascii(b["last_name"]).title(),
        "emails": [],
        "phones": _other_number(rng),
    }


def phone_formats(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    digits = "".join(ch for ch in b["phones"][0] if ch.isdigit())[2:]  # national part
    national = rng.choice([f"{digits[:3]}-{digits[3:6]}-{digits[6:]}", f"0048{digits}", digits])
    return {**b, "phones": [national], "emails": [], "postal_code": "", "street": "", "city": ""}


def gmail_variants(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    local = _ascii(b["first_name"]) + "." + _ascii(b["last_name"])
    a_mail = f"{local}@gmail.com"
    b_mail = rng.choice(
        [f"{local.replace('.', '')}@gmail.com", f"{local}+offers@googlemail.com"]
    ).upper()
    b["emails"] = [a_mail]
    return {
        **b,
        "emails": [b_mail],
        "phones": [],
        "postal_code": "",
        "street": "",
        "last_name": _typo(rng, b["last_name"]),
    }


def email_case(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    return {
        **b,
        "emails": [b["emails"][0].upper()],
        "phones": _other_number(rng),
        "postal_code": "",
    }


def same_national_id(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    b["national_id"] = f"{rng.randint(10**10, 10**11 - 1)}"
    return {
        **b,
        "national_id": b["national_id"][:5] + " " + b["national_id"][5:],
        "last_name": _typo(rng, b["last_name"]),
        "emails": [],
        "phones": [],
        "postal_code": "",
        "city": "",
    }


def typo_same_address(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    return {**b, "first_name": _typo(rng, b["first_name"]), "emails": [], "phones": []}


def two_typos_same_postal(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    return {
        **b,
        "first_name": _typo(rng, b["first_name"]),
        "last_name": _typo(rng, b["last_name"]),
        "emails": [],
        "phones": [],
        "street": "",
    }


# --- look-alikes that are other people -------------------------------------------------


def switchboard(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    """Two people at one company: the same (switchboard) number, nothing else."""
    other = _base(rng, rng.randint(10**6, 10**7))
    b["shared_phones"] = [b["phones"][0].replace(" ", "")]
    return {**other, "phones": b["phones"], "shared_phones": b["shared_phones"]}


def shared_phone_two_people(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    """A company phone seen on two contacts only (not known as a switchboard yet)."""
    other = _base(rng, rng.randint(10**6, 10**7))
    while other["first_name"] == b["first_name"]:
        other["first_name"] = rng.choice(FIRST)
    return {**other, "phones": b["phones"]}


def common_surname(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    b["last_name"] = rng.choice(COMMON_LAST)
    other = _base(rng, rng.randint(10**6, 10**7))
    first = rng.choice([f for f in FIRST if f[:2] != b["first_name"][:2]])
    return {
        **other,
        "first_name": first,
        "last_name": b["last_name"],
        "postal_code": b["postal_code"],
    }


def family_member(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    """Same surname, street and home phone; another first name and e-mail."""
    first = rng.choice([f for f in FIRST if f[:2] != b["first_name"][:2]])
    return {**b, "first_name": first, "emails": [f"{_ascii(first)}.home@example.net"]}


def namesake_elsewhere(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    other = _base(rng, rng.randint(10**6, 10**7))
    return {**other, "first_name": b["first_name"], "last_name": b["last_name"]}


def namesake_other_id(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    b["national_id"] = f"{rng.randint(10**10, 10**11 - 1)}"
    return {**b, "national_id": f"{rng.randint(10**10, 10**11 - 1)}", "emails": [], "phones": []}


def same_name_same_home(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    """Father and son of one name at one address, each with his own e-mail and mobile:
    no key tells them apart; the check shows them and the user keeps them apart."""
    return {
        **b,
        "emails": [f"{_ascii(b['first_name'])}.junior@example.org"],
        "phones": _other_number(rng),
    }


def stranger(rng: random.Random, b: dict[str, Any]) -> dict[str, Any]:
    return _base(rng, rng.randint(10**6, 10**7))


TRUE: list[Callable[[random.Random, dict[str, Any]], dict[str, Any]]] = [
    typo_same_postal,
    swapped_names,
    no_diacritics,
    phone_formats,
    gmail_variants,
    email_case,
    same_national_id,
    typo_same_address,
    two_typos_same_postal,
]
FALSE: list[Callable[[random.Random, dict[str, Any]], dict[str, Any]]] = [
    switchboard,
    shared_phone_two_people,
    common_surname,
    family_member,
    namesake_elsewhere,
    namesake_other_id,
    same_name_same_home,
    stranger,
]


def pairs(*, per_case: int = 24, seed: int = 6) -> list[Pair]:
    rng = random.Random(seed)
    out: list[Pair] = []
    for duplicate, cases in ((True, TRUE), (False, FALSE)):
        for make in cases:
            for n in range(per_case):
                base = _base(rng, len(out) * 31 + n)
                other = make(rng, base)  # may add to `base` (e.g. its national id)
                out.append(Pair(person(**base), person(**other), duplicate, make.__name__))
    return out
