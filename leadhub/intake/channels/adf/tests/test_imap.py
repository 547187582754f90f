"""`leadhub intake imap` against a real IMAP server: pymap (a pure-Python IMAP4rev1
server, test dependency) with its in-memory backend, started per test (decision 0028)."""

import imaplib
import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError

from leadhub.enquiries.models import Enquiry
from leadhub.intake.models import Channel, RejectedDelivery
from leadhub.testing.world import World

from .conftest import adf_channel, fixture

pytestmark = pytest.mark.django_db
USER, PASSWORD = "leads", "imap-pass-1"
DONE = "Processed leads"  # a space, so the name must be quoted


@dataclass(frozen=True)
class Server:
    port: int

    def session(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(USER, PASSWORD)
        return conn

    def append(self, *names: str, flags: str | None = None) -> None:
        conn = self.session()
        for name in names:
            assert conn.append("INBOX", flags, None, fixture(name))[0] == "OK"
        conn.logout()

    def folder(self, mailbox: str) -> list[tuple[str, str]]:
        """(flags, subject) of every message in the folder."""
        conn = self.session()
        typ, _ = conn.select(f'"{mailbox}"', readonly=True)
        assert typ == "OK", mailbox
        _, data = conn.uid("SEARCH", "ALL")
        found = []
        for uid in data[0].split():
            _, parts = conn.uid("FETCH", uid, "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            head, body = parts[0]
            flags = head.decode().split("FLAGS (")[1].split(")")[0]
            found.append((flags, body.decode().strip().removeprefix("Subject: ")))
        conn.logout()
        return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server() -> Iterator[Server]:
    port = _free_port()
    pymap = Path(sys.executable).parent / "pymap"
    process = subprocess.Popen(
        [str(pymap), "--host", "127.0.0.1", "--port", str(port), "--no-tls", "dict",
         "--demo-user", USER, "--demo-password", PASSWORD],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield Server(port)
    finally:
        process.terminate()
        process.wait(timeout=10)


def imap_channel(world: World, server: Server, **overrides: object) -> Channel:
    settings = {
        "host": "127.0.0.1",
        "port": server.port,
        "ssl": False,
        "user": USER,
        "password": PASSWORD,
        "done_folder": DONE,
        **overrides,
    }
    return adf_channel(world, imap=settings)


def run_imap(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "intake", "imap", "--channel", "dealer-xml", "--once", *args, stdout=out, stderr=err
        )
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_unseen_messages_are_taken_moved_or_flagged(world: World, server: Server) -> None:
    imap_channel(world, server)
    server.append(
        "provider_lead_in_body.eml", "billion_laughs_attached.eml", "two_prospects_attached.eml"
    )
    server.append("website_lead_attached.eml", flags=r"(\Seen)")  # read by a human: left alone
    code, out, err = run_imap()
    assert code == os.EX_OK, err
    assert out.count(": delivered: ") == 2 and out.count(": refused: ") == 1
    assert Enquiry.objects.count() == 3  # one lead, then two prospects
    assert RejectedDelivery.objects.get().errors[0]["field"] == "body"
    assert sorted(s for _, s in server.folder(DONE)) == [
        "2 new leads",
        "New lead: 2024 Alpina Tourer 5",
    ]
    inbox = dict((s, f) for f, s in server.folder("INBOX"))
    assert set(inbox) == {"lead", "Test drive request - Alpina Roadster GT"}
    assert set(inbox["lead"].split()) == {r"\Seen", r"\Flagged"}  # refused: for a human to see
    # The next pass finds nothing new.
    assert run_imap()[:2] == (os.EX_OK, "")


def test_a_message_delivered_twice_is_one_enquiry(world: World, server: Server) -> None:
    imap_channel(world, server, done_folder="")
    server.append("provider_lead_in_body.eml")
    assert run_imap()[0] == os.EX_OK
    server.append("provider_lead_in_body.eml")  # the provider sends it again
    code, out, _ = run_imap()
    assert code == os.EX_OK and ": replayed: " in out
    assert Enquiry.objects.count() == 1
    # Without a done_folder the messages stay, marked read.
    assert [f for f, _ in server.folder("INBOX")] == [r"\Seen", r"\Seen"]


def test_a_database_problem_leaves_the_message_for_the_next_pass(
    world: World, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    imap_channel(world, server)
    server.append("provider_lead_in_body.eml", "website_lead_attached.eml")

    def unavailable(*args: object, **kwargs: object) -> None:
        raise OperationalError("database is locked")

    with monkeypatch.context() as m:
        m.setattr("leadhub.intake.ingest.receive_enquiry", unavailable)
        code, out, _ = run_imap()
    assert code == os.EX_TEMPFAIL and "left for later" in out
    assert [f for f, _ in server.folder("INBOX")] == ["", ""]  # both still unseen
    assert run_imap()[0] == os.EX_OK
    assert Enquiry.objects.count() == 2 and server.folder("INBOX") == []


def test_mailbox_problems_exit_75_and_a_missing_set_up_78(world: World, server: Server) -> None:
    imap_channel(world, server, password="wrong")
    code, _, err = run_imap()
    assert code == os.EX_TEMPFAIL and "try again later" in err
    Channel.objects.filter(key="dealer-xml").update(settings={"allowed_senders": []})
    code, _, err = run_imap()
    assert code == os.EX_CONFIG and "no imap settings" in err


def test_the_password_may_come_from_the_environment(
    world: World, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    imap_channel(world, server, password="", password_env="LEADHUB_TEST_IMAP_PASSWORD")
    server.append("provider_lead_in_body.eml")
    assert run_imap()[0] == os.EX_TEMPFAIL  # not set yet
    monkeypatch.setenv("LEADHUB_TEST_IMAP_PASSWORD", PASSWORD)
    assert run_imap()[0] == os.EX_OK and Enquiry.objects.count() == 1
