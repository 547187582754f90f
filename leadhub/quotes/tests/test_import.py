from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from leadhub.enquiries.models import Enquiry, HistoryEntry
from leadhub.quotes.models import Quote
from leadhub.testing.world import World

from .helpers import add_erp_channels, brand_enquiry, dealer_enquiry
from .test_parse import fixture

pytestmark = pytest.mark.django_db


def run(path: Path, channel: str = "brand-erp") -> str:
    out = StringIO()
    call_command("quotes", "import", str(path), "--channel", channel, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, name: str, a: Enquiry, b: Enquiry) -> Path:
    path = tmp_path / name
    path.write_bytes(fixture(name, a=a.number, b=b.url_number))
    return path


def test_file_import_mirrors_the_main_quote_and_order(
    world: World, client: Client, tmp_path: Path
) -> None:
    add_erp_channels()
    a, b = brand_enquiry(client), brand_enquiry(client)
    path = write(tmp_path, "erp-export-semicolon.csv", a, b)
    assert run(path) == "erp-export-semicolon.csv: 3 created, 0 updated, 0 unchanged.\n"
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.quote_number, a.quote_amount) == ("AN-2026-0042", Decimal("12480.50"))
    assert (b.order_number, b.order_amount) == ("AU-2026-0007", Decimal("9870.00"))
    assert [(q.number, q.main) for q in Quote.objects.filter(enquiry=a)] == [
        ("AN-2026-0042", True),
        ("AN-2026-0043", False),
    ]
    entry = HistoryEntry.objects.get(enquiry=a, kind="quotes_imported")
    assert entry.private_to == world.brand
    assert "AN-2026-0042 (main, 12480.50 EUR) added" in entry.message
    # Idempotent: the same file again changes nothing, not even the history.
    before = (a.updated_at, HistoryEntry.objects.count())
    assert run(path) == "erp-export-semicolon.csv: 0 created, 0 updated, 3 unchanged.\n"
    a.refresh_from_db()
    assert (a.updated_at, HistoryEntry.objects.count()) == before


def test_a_new_main_quote_replaces_the_old_one(
    world: World, client: Client, tmp_path: Path
) -> None:
    add_erp_channels()
    a = brand_enquiry(client)
    first = tmp_path / "one.csv"
    first.write_text(f"enquiry_number,number,amount\n{a.number},Q1,100.00\n")
    run(first)
    assert Quote.objects.get(number="Q1").main  # the first one of its kind is main
    second = tmp_path / "two.csv"
    second.write_text(
        f"enquiry_number,number,amount,main\n{a.number},Q1,120.00,\n{a.number},Q2,90.00,yes\n"
    )
    assert "1 created, 1 updated, 0 unchanged" in run(second)
    a.refresh_from_db()
    assert (a.quote_number, a.quote_amount) == ("Q2", Decimal("90.00"))
    assert dict(Quote.objects.values_list("number", "main")) == {"Q1": False, "Q2": True}
    assert Quote.objects.get(number="Q1").amount == Decimal("120.00")


def test_a_file_is_all_or_nothing(world: World, client: Client, tmp_path: Path) -> None:
    add_erp_channels()
    a = brand_enquiry(client)
    path = tmp_path / "q.csv"
    path.write_text(f"enquiry_number,number,amount\n{a.number},Q1,100.00\n999999/000001,Q2,5.00\n")
    with pytest.raises(CommandError, match="1 file"):
        run(path)
    assert Quote.objects.count() == 0


def test_a_partner_erp_touches_only_the_partners_enquiries(
    world: World, client: Client, tmp_path: Path
) -> None:
    add_erp_channels()
    mine, brands = dealer_enquiry(world, client), brand_enquiry(client)
    path = tmp_path / "q.csv"
    path.write_text(f"enquiry_number,number,amount\n{brands.number},Q1,1.00\n")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("quotes", "import", str(path), "--channel", "dealer-a-erp", stdout=out)
    assert f"line 2: enquiry_number: no enquiry {brands.number} of Dealer A" in out.getvalue()
    path.write_text(f"enquiry_number,number,amount\n{mine.number},Q1,1.00\n")
    assert "1 created" in run(path, "dealer-a-erp")
    assert Quote.objects.get().organisation == world.dealer_a
    # ... and the brand's ERP cannot reach the enquiry its partner accepted.
    path.write_text(f"enquiry_number,number,amount\n{mine.number},Q9,1.00\n")
    with pytest.raises(CommandError):
        run(path, "brand-erp")


def test_folder_mode_moves_files_to_done_and_failed(
    world: World, client: Client, tmp_path: Path
) -> None:
    add_erp_channels()
    a, b = brand_enquiry(client), brand_enquiry(client)
    drop = tmp_path / "drop"
    drop.mkdir()
    write(drop, "erp-export-semicolon.csv", a, b)
    (drop / "bad.json").write_text('[{"enquiry_number": "x", "number": "1", "amount": 1}]')
    (drop / ".incoming.csv").write_text("still being written")
    (drop / "notes.pdf").write_bytes(b"%PDF")
    out = StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("quotes", "import", str(drop), "--channel", "brand-erp", stdout=out)
    assert (drop / "done" / "erp-export-semicolon.csv").is_file()
    assert (drop / "failed" / "bad.json").is_file()
    errors = (drop / "failed" / "bad.json.errors.txt").read_text()
    assert errors.startswith("item 1: enquiry_number: 'x' is not an enquiry number")
    assert sorted(p.name for p in drop.iterdir() if p.is_file()) == [".incoming.csv", "notes.pdf"]
    assert Quote.objects.count() == 3
    # The next run finds nothing new; a file of the same name later lands beside the first.
    assert "no new files" in run(drop)
    write(drop, "erp-export-semicolon.csv", a, b)
    assert "3 unchanged" in run(drop)
    assert len(list((drop / "done").iterdir())) == 2


def test_command_refuses_unknown_channels_and_paths(world: World, tmp_path: Path) -> None:
    add_erp_channels()
    with pytest.raises(CommandError, match="no ERP channel"):
        run(tmp_path, "web")  # a webhook channel is not an ERP
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.csv")


def test_only_erp_channels_may_belong_to_a_partner(world: World) -> None:
    from leadhub.network.load import NetworkFileError, load_network
    from leadhub.testing.world import network

    data = network()
    data["channels"].append(
        {"key": "dealer-web", "brand": "dealer-a", "kind": "webhook", "token": "x" * 20}
    )
    with pytest.raises(NetworkFileError, match="unknown brand 'dealer-a'"):
        load_network(data)
    data["channels"][-1]["kind"] = "erp"
    load_network(data)
