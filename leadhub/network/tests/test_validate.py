"""Cross-entry checks of the network file, without a database."""

from typing import Any

import pytest

from leadhub.network.load import NetworkFileError, parse_network
from leadhub.network.validate import Known, check
from leadhub.testing.world import network


def problems(data: dict[str, Any], known: Known | None = None) -> dict[str, str]:
    try:
        net = parse_network(data)
    except NetworkFileError as exc:
        return {p.path: p.message for p in exc.problems}
    return {p.path: p.message for p in check(net, known or Known())}


def test_the_standard_world_is_valid() -> None:
    assert problems(network()) == {}


def test_shape_errors_are_listed_by_path() -> None:
    data = network()
    data["brands"][0]["respons_hours"] = 48
    data["users"][1]["roles"] = ["boss"]
    data["partners"][0]["email"] = "nope"
    data["zones"][0]["country"] = "Italy"
    found = problems(data)
    assert set(found) == {
        "brands[0].respons_hours",
        "users[1].roles[0]",
        "partners[0].email",
        "zones[0].country",
    }


def test_references_are_checked() -> None:
    data = network()
    data["partners"][0]["brands"] = ["brand", "ghost"]
    data["units"][1]["parent"] = "nowhere"
    data["users"][0]["unit"] = "studio-x"
    data["users"][2]["org"] = "ghost-org"
    data["zones"][0]["brand"] = "dealer-a"  # a partner is not a brand
    data["channels"][0]["brand"] = "ghost"
    data["rules"][0]["when"] = {
        "zone": "atlantis",
        "channel": ["web", "other-web"],
        "postal_code": "39999-39000",
    }
    data["rules"][0]["then"] = {"offer_to": ["dealer-a", "nobody"]}
    found = problems(data)
    assert found == {
        "partners[0].brands[1]": "unknown brand 'ghost'",
        "units[1].parent": "unknown unit 'nowhere' of 'brand'",
        "users[0].unit": "unknown unit 'studio-x' of 'brand'",
        "users[2].org": "unknown organisation 'ghost-org'",
        "zones[0].brand": "unknown brand 'dealer-a'",
        "channels[0].brand": "unknown brand 'ghost'",
        "rules[0].when.postal_code[0]": "'39999-39000': the lower code of a range comes first",
        "rules[0].when.channel[0]": "'web' is not a channel of 'brand'",
        "rules[0].when.channel[1]": "'other-web' is not a channel of 'brand'",
        "rules[0].when.zone[0]": "'atlantis' is not a zone of 'brand'",
        "rules[0].then.offer_to[1]": "'nobody' is not a partner of 'brand'",
    }


@pytest.mark.parametrize(
    ("then", "message"),
    [
        ({}, "needs exactly one of offer_to, assign_to_user, assign_to_unit, dispatcher"),
        ({"dispatcher": True, "assign_to_user": "sales"}, "(got assign_to_user, dispatcher)"),
        ({"assign_to_user": "sales", "strategy": "weighted"}, "strategy only goes with offer_to"),
    ],
)
def test_then_needs_exactly_one_target(then: dict[str, Any], message: str) -> None:
    data = network()
    data["rules"][0]["then"] = then
    assert message in problems(data)["rules[0].then"]


def test_calendar_problems() -> None:
    data = network()
    data["brands"][0]["working_hours"] = {"mon": "08:00-25:00"}
    data["brands"][1]["timezone"] = "Mars/Olympus"
    data["partners"][1]["subdivision"] = "XX"
    found = problems(data)
    assert "mon" in found["brands[0].working_hours"]
    assert found["brands[1].timezone"] == "unknown time zone 'Mars/Olympus'"
    assert "XX" in found["partners[1].working_hours"]


def test_duplicates_and_unit_cycles() -> None:
    data = network()
    data["users"].append(dict(data["users"][0]))
    data["units"][0]["parent"] = "studio"
    found = problems(data)
    assert found["users"] == "'dispatcher' appears 2 times"
    assert "its own ancestor" in found["units[0].parent"]


def test_stored_keys_count_as_known() -> None:
    data = {
        "users": [
            {
                "username": "new",
                "org": "brand",
                "unit": "hq",
                "email": "n@b.example",
                "roles": ["sales"],
            }
        ]
    }
    known = Known(orgs={"brand": "brand"}, units={("brand", "hq")})
    assert problems(data, known) == {}
    known_as_partner = Known(orgs={"brand": "partner"})
    assert problems({"brands": [network()["brands"][0]]}, known_as_partner) == {
        "brands[0].key": "'brand' is already stored as a partner"
    }


def test_channel_settings_are_checked_per_kind() -> None:
    data = network()
    data["channels"][0]["settings"] = {"signing_key": "x"}  # a webhook takes no settings
    data["channels"][1]["kind"] = "fax"
    found = problems(data)
    assert set(found) == {"channels[0]", "channels[1].kind"}
    assert "settings for kind webhook" in found["channels[0]"]
