"""Scoring (pure): every rule and its reason, the switchboard rule, the caps."""

from __future__ import annotations

from leadhub.duplicates.scoring import SHOWN, compare_names, person, score

JAN = person(
    first_name="Jan",
    last_name="Kowalski",
    emails=["jan.kowalski@gmail.com"],
    phones=["+48 601 234 567"],
    country="PL",
    postal_code="31-000",
    street="ul. Długa 5",
    city="Kraków",
)


def test_nothing_shared_scores_nothing() -> None:
    got = score(JAN, person(first_name="Anna", last_name="Nowak", postal_code="00-001"))
    assert got.score == 0 and got.reasons == () and not got.shown


def test_same_email_by_the_providers_rules() -> None:
    got = score(
        JAN, person(first_name="Jan", last_name="Kowalski", emails=["JanKowalski+x@googlemail.com"])
    )
    assert got.shown and "same e-mail" in got.reasons


def test_same_email_another_name_is_not_enough() -> None:
    got = score(
        JAN, person(first_name="Ewa", last_name="Zielińska", emails=["jan.kowalski@gmail.com"])
    )
    assert not got.shown and got.reasons == ("same e-mail, another name",)


def test_same_phone_with_the_same_or_no_name() -> None:
    same = score(
        JAN, person(first_name="Jan", last_name="Kowalski", phones=["601234567"], country="PL")
    )
    assert same.shown and same.reasons[0] == "same phone"
    nameless = score(JAN, person(phones=["0048601234567"], country="PL"))
    assert nameless.shown and nameless.reasons == ("same phone",)


def test_same_phone_another_name_is_a_shared_number() -> None:
    got = score(JAN, person(first_name="Ewa", last_name="Zielińska", phones=["+48601234567"]))
    assert not got.shown and got.reasons == ("same phone, another name",)


def test_a_switchboard_by_itself_is_no_duplicate() -> None:
    board = frozenset({"+48601234567"})
    nameless = person(phones=["+48601234567"], shared_phones=board)
    got = score(JAN, nameless)
    assert not got.shown and got.reasons == ("same phone, shared by several people",)
    # With the same name it still counts, and says so.
    named = person(
        first_name="Jan", last_name="Kowalski", phones=["+48601234567"], shared_phones=board
    )
    got = score(JAN, named)
    assert got.shown and got.reasons[0].startswith("same shared phone + name 100%")


def test_fuzzy_name_and_postal_code() -> None:
    got = score(JAN, person(first_name="Jan", last_name="Kowlaski", postal_code="31000"))
    assert got.shown and got.reasons == ("name 92% + same postal code",)


def test_fuzzy_name_and_address_scores_higher() -> None:
    other = person(
        first_name="Jan", last_name="Kowalsky", postal_code="31000", street="ul. Dluga 5"
    )
    assert score(JAN, other).reasons == ("name 92% + same address",)
    assert (
        score(JAN, other).score
        > score(JAN, person(first_name="Jan", last_name="Kowalsky", postal_code="31000")).score
    )


def test_swapped_names_and_diacritics() -> None:
    got = score(JAN, person(first_name="KOWALSKI", last_name="Jan", postal_code="31-000"))
    assert got.shown and got.reasons == ("name 100% + same postal code",)
    j = person(first_name="Józef", last_name="Wójcik", postal_code="1")
    assert score(j, person(first_name="Jozef", last_name="Wojcik", postal_code="1")).shown


def test_name_alone_or_with_the_city_is_not_enough() -> None:
    assert not score(JAN, person(first_name="Jan", last_name="Kowalski")).shown
    assert not score(JAN, person(first_name="Jan", last_name="Kowalski", city="Krakow")).shown


def test_family_members_at_one_address_are_apart() -> None:
    wife = person(
        first_name="Anna", last_name="Kowalska", postal_code="31-000", street="ul. Długa 5",
        phones=["+48601234567"],
    )  # fmt: skip
    got = score(JAN, wife)
    assert not got.shown


def test_first_name_initial_is_compatible() -> None:
    names = compare_names(JAN, person(first_name="J.", last_name="Kowalski"))
    assert names is not None and names.first_ok


def test_different_national_ids_cap_the_score() -> None:
    a = person(
        first_name="Jan",
        last_name="Kowalski",
        national_id="44051401359",
        postal_code="1",
        phones=["+48601234567"],
    )
    b = person(
        first_name="Jan",
        last_name="Kowalski",
        national_id="02070803628",
        postal_code="1",
        phones=["+48601234567"],
    )
    assert score(a, b).score == 50


def test_same_national_id_wins_over_a_typo() -> None:
    a = person(first_name="Jan", last_name="Kowalski", national_id="44051401359")
    b = person(first_name="Jan", last_name="Kowalsky", national_id="440514 01359")
    got = score(a, b)
    assert got.score >= 99 and got.reasons[0] == "same national id"


def test_several_strong_reasons_add_a_little_and_never_pass_100() -> None:
    twin = person(
        first_name="Jan", last_name="Kowalski", emails=["jan.kowalski@gmail.com"],
        phones=["+48601234567"], postal_code="31000", street="ul. Długa 5",
    )  # fmt: skip
    got = score(JAN, twin)
    assert got.score == 100 and len(got.reasons) == 3
    assert got.score > SHOWN


def test_score_is_symmetric_on_the_labelled_cases() -> None:
    from .labelled import pairs

    for p in pairs()[::7]:
        assert score(p.a, p.b).score == score(p.b, p.a).score, p.case
