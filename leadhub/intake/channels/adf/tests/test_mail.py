"""Finding ADF in e-mails (pure) and `leadhub intake mail` as an MTA pipe runs it."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError

from leadhub.enquiries.models import Enquiry
from leadhub.intake.channels.adf.mail import read_mail
from leadhub.intake.models import RejectedDelivery
from leadhub.testing.world import World

from .conftest import adf_channel, fixture


def run_mail(*args: str, message: bytes) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("intake", "mail", *args, stdin=io.BytesIO(message), stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("name", "documents", "starts"),
    [
        ("provider_lead_in_body.eml", 1, b'<?ADF VERSION="1.0"?>'),
        ("website_lead_attached.eml", 1, b'<?xml version="1.0" encoding="UTF-8"?>'),
        ("configurator_lead_inline.eml", 1, b"<adf>"),
        ("two_prospects_attached.eml", 1, b'<?adf version="1.0"?>'),
        ("no_adf.eml", 0, b""),
    ],
)
def test_the_adf_document_is_found(name: str, documents: int, starts: bytes) -> None:
    mail = read_mail(fixture(name))
    assert len(mail.documents) == documents
    if documents:
        assert mail.documents[0].startswith(starts)
        assert mail.documents[0].rstrip().endswith(b"</adf>")


def test_mail_facts() -> None:
    mail = read_mail(fixture("provider_lead_in_body.eml"))
    assert mail.message_id == "cme-88231907.20261121090533@carmarket.example"
    assert mail.sender == "leads@carmarket.example"
    assert mail.subject == "New lead: 2024 Alpina Tourer 5"
    # Quoted-printable decoded; the ISO-8859-1 declaration dropped, the text re-encoded.
    assert "Leopoldstraße".encode() in mail.documents[0]


def test_an_attachment_wins_over_the_same_lead_in_the_body() -> None:
    xml = fixture("dealer_website_test_drive.xml")
    raw = fixture("website_lead_attached.eml").replace(
        b"The lead is attached in ADF format.", xml.replace(b"\n", b"\r\n")
    )
    assert len(read_mail(raw).documents) == 1


@pytest.mark.django_db
def test_a_piped_message_becomes_an_enquiry(world: World) -> None:
    channel = adf_channel(world)
    code, out, _ = run_mail("--channel", "dealer-xml", message=fixture("provider_lead_in_body.eml"))
    assert code == os.EX_OK
    enquiry = Enquiry.objects.get()
    assert out == f"delivered: {enquiry.number}\n"
    assert enquiry.type == "quote" and enquiry.channel == channel
    assert enquiry.contact.last_name == "von Stein"
    mail = enquiry.history.get(kind="received").data["payload"]["mail"]
    assert mail["message_id"] == "cme-88231907.20261121090533@carmarket.example"
    # The MTA delivers the message again (a retry): exit 0, still one enquiry.
    code, out, _ = run_mail("--channel", "dealer-xml", message=fixture("provider_lead_in_body.eml"))
    assert (code, out) == (os.EX_OK, f"replayed: {enquiry.number}\n")
    assert Enquiry.objects.count() == 1


@pytest.mark.django_db
def test_every_prospect_of_every_fixture_is_taken(world: World) -> None:
    adf_channel(world)
    for name in (
        "website_lead_attached.eml",
        "configurator_lead_inline.eml",
        "two_prospects_attached.eml",
    ):
        code, _, err = run_mail("--channel", "dealer-xml", message=fixture(name))
        assert code == os.EX_OK, err
    assert sorted(Enquiry.objects.values_list("type", flat=True)) == [
        "brochure",
        "quote",
        "quote",
        "test_drive",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("billion_laughs_attached.eml", "DTD"),
        ("no_adf.eml", "no ADF document in the message"),
    ],
)
def test_a_refused_message_exits_65_and_is_kept(world: World, name: str, reason: str) -> None:
    channel = adf_channel(world)
    code, out, err = run_mail("--channel", "dealer-xml", message=fixture(name))
    assert code == os.EX_DATAERR and reason in err and out == ""
    kept = RejectedDelivery.objects.get()
    assert kept.channel == channel and kept.content_type == "message/rfc822"
    assert kept.body.startswith("From: ")
    assert not Enquiry.objects.exists()


@pytest.mark.django_db
def test_senders_can_be_limited(world: World) -> None:
    adf_channel(world, allowed_senders=["@carmarket.example"])
    message = fixture("website_lead_attached.eml")  # from autohaus-bolzano.example
    code, _, err = run_mail("--channel", "dealer-xml", message=message)
    assert code == os.EX_NOPERM and "not allowed" in err
    assert not RejectedDelivery.objects.exists() and not Enquiry.objects.exists()
    # The envelope sender (Postfix: --sender ${sender}) decides when given.
    code, _, _ = run_mail(
        "--channel", "dealer-xml", "--sender", "relay@carmarket.example", message=message
    )
    assert code == os.EX_OK and Enquiry.objects.count() == 1


@pytest.mark.django_db
def test_unknown_or_wrong_kind_channel_exits_78(world: World) -> None:
    message = fixture("provider_lead_in_body.eml")
    assert run_mail("--channel", "nope", message=message)[0] == os.EX_CONFIG
    assert run_mail("--channel", "web", message=message)[0] == os.EX_CONFIG  # a webhook channel
    assert not Enquiry.objects.exists()


@pytest.mark.django_db
def test_a_database_problem_exits_75_so_the_mta_retries(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    adf_channel(world)

    def unavailable(*args: object, **kwargs: object) -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("leadhub.intake.ingest.receive_enquiry", unavailable)
    code, _, err = run_mail("--channel", "dealer-xml", message=fixture("provider_lead_in_body.eml"))
    assert code == os.EX_TEMPFAIL and "try again later" in err
    assert not Enquiry.objects.exists() and not RejectedDelivery.objects.exists()


@pytest.mark.django_db
def test_an_unexpected_error_also_exits_75(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    adf_channel(world)

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr("leadhub.intake.ingest.receive_enquiry", broken)
    code, _, err = run_mail("--channel", "dealer-xml", message=fixture("provider_lead_in_body.eml"))
    assert code == os.EX_TEMPFAIL and "KeyError: 'a bug'" in err
    assert not Enquiry.objects.exists()


def test_the_installed_command_exits_75_without_a_database(tmp_path: Path) -> None:
    """As Postfix runs it: a separate process, the message on stdin, no database server."""
    env = {
        **os.environ,
        "LEADHUB_DATABASE_URL": "postgres://nobody@127.0.0.1:1/none?connect_timeout=2",
    }
    done = subprocess.run(
        [sys.executable, "-m", "leadhub.cli", "intake", "mail", "--channel", "dealer-xml"],
        input=fixture("provider_lead_in_body.eml"),
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == os.EX_TEMPFAIL, done.stderr.decode()
    assert b"try again later" in done.stderr
