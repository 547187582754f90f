import json
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from leadhub.intake.models import Channel
from leadhub.network.dump import dump_network
from leadhub.network.load import NetworkFileError, load_network
from leadhub.orgs.models import Organisation, OrgUnit, User
from leadhub.routing.models import Rule, Zone
from leadhub.testing.world import PASSWORD, network

pytestmark = pytest.mark.django_db


def snapshot() -> list[object]:
    return [
        list(Organisation.objects.values().order_by("key")),
        list(OrgUnit.objects.values().order_by("id")),
        list(User.objects.values().order_by("id")),
        list(Zone.objects.values().order_by("id")),
        list(Channel.objects.values().order_by("id")),
        list(Rule.objects.values().order_by("id")),
        list(
            Organisation.brands.through.objects.values_list(
                "from_organisation", "to_organisation"
            ).order_by("id")
        ),
    ]


def test_load_creates_everything() -> None:
    counts = load_network(network())
    assert counts["brands created"] == 2 and counts["partners created"] == 2
    assert counts["users created"] == 6 and counts["rules created"] == 1
    dealer = Organisation.objects.get(key="dealer-a")
    assert [b.key for b in dealer.brands.all()] == ["brand"]
    studio = OrgUnit.objects.get(key="studio")
    assert studio.parent is not None and studio.parent.key == "hq"
    sales = User.objects.get(username="sales")
    assert sales.check_password(PASSWORD) and sales.roles == ["sales"] and sales.unit == studio
    assert Rule.objects.get().then == {"dispatcher": True}


def test_loading_twice_changes_nothing() -> None:
    load_network(network())
    before = snapshot()
    counts = load_network(network())
    assert snapshot() == before
    assert all(what.endswith("unchanged") for what in counts), counts


def test_load_updates_in_place() -> None:
    load_network(network())
    data = network()
    data["brands"][0]["response_hours"] = 24
    data["users"][1]["roles"] = ["sales", "manager"]
    counts = load_network(data)
    assert counts["brands updated"] == 1 and counts["users updated"] == 1
    assert Organisation.objects.get(key="brand").response_hours == 24
    assert User.objects.get(username="sales").roles == ["sales", "manager"]


def test_a_bad_file_is_refused_whole() -> None:
    load_network(network())
    before = snapshot()
    data = network()
    data["brands"][0]["name"] = "Renamed"  # valid change...
    data["users"].append(
        {"username": "x", "org": "ghost", "email": "x@x.example", "roles": ["sales"]}
    )
    data["zones"][0]["postal_codes"] = ["39*", "bad#code"]
    with pytest.raises(NetworkFileError) as info:
        load_network(data)
    assert {p.path for p in info.value.problems} == {"users[6].org", "zones[0].postal_codes[1]"}
    assert snapshot() == before  # ...is not applied either


def test_dump_reloads_to_the_same_network() -> None:
    load_network(network())
    before = snapshot()
    dumped = dump_network()
    assert [b["key"] for b in dumped["brands"]] == ["brand", "other-brand"]
    assert "password" not in json.dumps(dumped)
    counts = load_network(yaml.safe_load(yaml.safe_dump(dumped)))
    assert snapshot() == before
    assert all(what.endswith("unchanged") for what in counts), counts


def test_cli_load_and_dump(tmp_path: Path) -> None:
    path = tmp_path / "network.json"
    path.write_text(json.dumps(network()))
    out = StringIO()
    call_command("network", "load", str(path), stdout=out)
    assert "2 brands created" in out.getvalue()
    out = StringIO()
    call_command("network", "dump", stdout=out)
    assert yaml.safe_load(out.getvalue())["channels"][0]["key"] == "other-web"


def test_cli_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "network.yaml"
    data = network()
    data["users"][0]["unit"] = "nowhere"
    data["rules"][0]["then"] = {"offer_to": ["ghost"]}
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(CommandError) as info:
        call_command("network", "load", str(path))
    message = str(info.value)
    assert "2 problem(s); nothing was changed" in message
    assert "users[0].unit: unknown unit 'nowhere' of 'brand'" in message
    assert "rules[0].then.offer_to[0]: 'ghost' is not a partner of 'brand'" in message
    assert not Organisation.objects.exists()


def test_cli_refuses_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("brands: [unclosed")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("network", "load", str(path))
    with pytest.raises(CommandError, match="no such file"):
        call_command("network", "load", str(tmp_path / "missing.yaml"))


def test_absences_are_replaced_per_user_and_round_trip() -> None:
    data = network()
    data["absences"] = [
        {
            "user": "sales",
            "starts_on": "2026-12-21",
            "ends_on": "2027-01-06",
            "substitute": "dispatcher",
        },
        {"user": "sales", "weekdays": ["fri"], "substitute": "dispatcher"},
    ]
    counts = load_network(data)
    assert counts["absences updated"] == 2
    sales = User.objects.get(username="sales")
    assert sorted(a.weekdays for a in sales.absences.all()) == [[], ["fri"]]
    assert load_network(data)["absences unchanged"] == 2
    dumped = dump_network()
    assert {
        "user": "sales",
        "starts_on": "2026-12-21",
        "ends_on": "2027-01-06",
        "substitute": "dispatcher",
    } in dumped["absences"]
    json.dumps(dumped)  # the JSON dump works too
    data["absences"] = [{"user": "sales", "weekdays": ["mon"]}]
    load_network(data)
    assert [a.weekdays for a in sales.absences.all()] == [["mon"]]


def test_bad_absences_are_refused() -> None:
    data = network()
    data["absences"] = [
        {"user": "ghost", "weekdays": ["fri"]},
        {"user": "sales", "substitute": "other-user", "weekdays": ["mon"]},
        {"user": "sales"},
    ]
    with pytest.raises(NetworkFileError) as info:
        load_network(data)
    assert {p.path for p in info.value.problems} == {"absences[2]"}
    data["absences"] = data["absences"][:2]
    with pytest.raises(NetworkFileError) as info:
        load_network(data)
    assert {str(p) for p in info.value.problems} == {
        "absences[0].user: unknown user 'ghost'",
        "absences[1].substitute: 'other-user' is not a user of 'brand'",
    }
