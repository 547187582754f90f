"""Accept and reject with a comment e-mailed to the broker (G2), messages, the tab's tiles,
filters and detail (E4), through the pages and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult

from leadhub.contacts.models import Contact
from leadhub.documents.models import Document
from leadhub.documents.tests.samples import pdf
from leadhub.enquiries.models import Enquiry
from leadhub.intake.models import ChannelKind
from leadhub.orgs.models import User
from leadhub.referrals.models import MessageKind, Referral, ReferralForm, ReferralStatus
from leadhub.referrals.tasks import send_referral_message
from leadhub.testing.world import World, api_token, login

from .conftest import answers, submit

pytestmark = pytest.mark.django_db


def send_queued() -> None:
    """What the worker does: send every queued broker e-mail."""
    for task in DBTaskResult.objects.filter(task_path__endswith="send_referral_message"):
        send_referral_message.call(*task.args_kwargs["args"])


@pytest.fixture
def referral(link_path: str, client: Client) -> Referral:
    pdf_file = SimpleUploadedFile("id.pdf", pdf(), "application/pdf")
    assert client.post(link_path, {**answers(), "documents": [pdf_file]}).status_code == 200
    return Referral.objects.get()


def test_accept_makes_the_contact_and_enquiry_and_emails_the_comment(
    referral: Referral, client: Client
) -> None:
    login(client, "dispatcher")
    response = client.post(
        f"/referrals/{referral.pk}/accept/", {"comment": "Thanks, we call him tomorrow."}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.status_changed_by == User.objects.get(username="dispatcher")
    enquiry = Enquiry.objects.select_related("contact", "channel").get()
    assert referral.enquiry == enquiry
    assert enquiry.type == "quote" and enquiry.project_name == "Green Hills"
    assert enquiry.channel is not None and enquiry.channel.kind == ChannelKind.REFERRAL
    assert (enquiry.contact.last_name, enquiry.contact.phone) == ("Kowalski", "+48601234567")
    assert "Anna Broker" in enquiry.text and "Agency Dom Plus" in enquiry.text
    assert "44051401359" not in enquiry.text  # national ids stay on the referral
    assert [d.filename for d in Document.objects.filter(enquiry=enquiry)] == ["id.pdf"]
    assert mail.outbox == []  # sent by the worker, after commit
    send_queued()
    (message,) = mail.outbox
    assert message.to == ["anna@agency.example"]
    assert "accepted" in message.subject.lower() and "Jan Kowalski" in message.subject
    assert "Thanks, we call him tomorrow." in message.body
    assert message.reply_to == ["d@brand.example"]
    assert referral.messages.get().sent_at is not None
    send_queued()
    assert len(mail.outbox) == 1  # a message is sent once
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert enquiry.number in page and "Thanks, we call him tomorrow." in page
    assert 'action="/referrals/' + str(referral.pk) + '/accept/"' not in page  # decided


def test_reject_needs_a_comment_which_the_broker_gets(referral: Referral, client: Client) -> None:
    login(client, "dispatcher")
    client.post(f"/referrals/{referral.pk}/reject/", {"comment": "  "})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    client.post(f"/referrals/{referral.pk}/reject/", {"comment": "Already our client."})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REJECTED and referral.enquiry is None
    assert Enquiry.objects.count() == 0 and Contact.objects.count() == 0
    send_queued()
    (message,) = mail.outbox
    assert "rejected" in message.subject.lower() and "Already our client." in message.body


def test_a_decision_is_taken_once(referral: Referral, client: Client) -> None:
    auth = api_token(client, "dispatcher")
    url = f"/api/v1/referrals/{referral.pk}"
    first = client.post(url + "/accept", {}, content_type="application/json", headers=auth)
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "accepted" and first.json()["enquiry_number"]
    again = client.post(
        url + "/reject", {"comment": "no"}, content_type="application/json", headers=auth
    )
    assert again.status_code == 409
    assert (
        client.post(url + "/accept", {}, content_type="application/json", headers=auth).status_code
        == 409
    )
    assert Enquiry.objects.count() == 1


def test_free_messages_are_emailed_and_kept_in_the_thread(
    referral: Referral, client: Client
) -> None:
    login(client, "dispatcher")
    client.post(f"/referrals/{referral.pk}/messages/", {"text": "Does he need a parking space?"})
    auth = api_token(client, "dispatcher")
    response = client.post(
        f"/api/v1/referrals/{referral.pk}/messages",
        {"text": "And a storage room?"},
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 201
    empty = client.post(
        f"/api/v1/referrals/{referral.pk}/messages",
        {"text": " "},
        content_type="application/json",
        headers=auth,
    )
    assert empty.status_code == 422
    assert [m.kind for m in referral.messages.all()] == [MessageKind.MESSAGE] * 2
    send_queued()
    assert [m.body.count("parking") + m.body.count("storage") for m in mail.outbox] == [1, 1]
    detail = client.get(f"/api/v1/referrals/{referral.pk}", headers=auth).json()
    assert [m["text"] for m in detail["messages"]] == [
        "Does he need a parking space?",
        "And a storage room?",
    ]


def make(client: Client, path: str, key: str, **fields: Any) -> Referral:
    assert submit(client, path, form_key=key * 32, **fields).status_code == 200
    return Referral.objects.get(form_key=key * 32)


def test_tiles_count_and_filters_narrow(
    world: World, form: ReferralForm, link_path: str, client: Client, admin: User
) -> None:
    from leadhub.referrals.actions import create_form, live_link

    other_form = create_form(
        world.brand, name="Agency Nova", project="Old Town", by=admin, now=form.created_at
    )
    other_link = live_link(other_form)
    assert other_link is not None
    a = make(client, link_path, "a", first_name="Adam", broker_name="Piotr Zielinski")
    b = make(client, link_path, "b", first_name="Beata", last_name="Lis", phone="", email="b@x.pl")
    c = make(client, f"/r/{other_link.secret}/", "c", first_name="Celina", last_name="Mak")
    auth = api_token(client, "dispatcher")
    client.post(
        f"/api/v1/referrals/{a.pk}/accept", {}, content_type="application/json", headers=auth
    )
    client.post(
        f"/api/v1/referrals/{b.pk}/reject",
        {"comment": "duplicate"},
        content_type="application/json",
        headers=auth,
    )

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/referrals?{query}", headers=auth)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    counts = client.get("/api/v1/referrals", headers=auth).json()["counts"]
    assert counts == {"pending": 1, "accepted": 1, "rejected": 1, "all": 3}
    assert ids("status=pending") == [c.pk]
    assert ids(f"id={b.pk}") == [b.pk]
    assert ids("client=lis beata") == [b.pk]
    assert ids("advisor=zielinski") == [a.pk]
    assert ids("project=Old Town") == [c.pk]
    assert ids(f"source={form.pk}") == [b.pk, a.pk]
    today = a.created_at.date().isoformat()
    assert len(ids(f"created_from={today}&created_to={today}")) == 3
    assert ids("created_from=2001-01-01&created_to=2001-12-31") == []
    assert client.get("/api/v1/referrals?created_from=x", headers=auth).status_code in (400, 422)
    # The tiles count under the other filters.
    narrowed = client.get(f"/api/v1/referrals?source={form.pk}", headers=auth).json()["counts"]
    assert narrowed == {"pending": 0, "accepted": 1, "rejected": 1, "all": 2}

    login(client, "dispatcher")
    page = client.get("/referrals/").content.decode()
    for label, n in (("All", 3), ("Pending", 1), ("Accepted", 1), ("Rejected", 1)):
        assert f"<span>{label}</span> <strong>({n})</strong>" in page
    pending = client.get("/referrals/?status=pending").content.decode()
    assert "Celina Mak" in pending and "Beata Lis" not in pending
    filtered = client.get("/referrals/?client=beata").content.decode()
    assert "Beata Lis" in filtered and "Celina" not in filtered


def test_detail_shows_similar_referrals_clients_and_leads(
    link_path: str, client: Client, world: World
) -> None:
    first = make(client, link_path, "a")
    second = make(client, link_path, "b", phone="", email="other@x.pl")  # same PESEL only
    auth = api_token(client, "dispatcher")
    client.post(
        f"/api/v1/referrals/{first.pk}/accept", {}, content_type="application/json", headers=auth
    )
    Contact.objects.filter(enquiries__isnull=False).update(customer_number="K-100")
    third = make(client, link_path, "c", national_id="", id_card="")  # same phone and e-mail
    similar = client.get(f"/api/v1/referrals/{third.pk}", headers=auth).json()["similar"]
    assert {r["id"] for r in similar["referrals"]} == {first.pk}
    assert [c["customer_number"] for c in similar["clients"]] == ["K-100"]
    assert [e["number"] for e in similar["leads"]] == [Enquiry.objects.get().number]
    by_pesel = client.get(f"/api/v1/referrals/{second.pk}", headers=auth).json()["similar"]
    assert {r["id"] for r in by_pesel["referrals"]} == {first.pk}  # the third has no PESEL
    assert by_pesel["leads"] == [] and by_pesel["clients"] == []
    login(client, "dispatcher")
    page = client.get(f"/referrals/{third.pk}/").content.decode()
    assert "K-100" in page and Enquiry.objects.get().number in page


def test_the_broker_email_goes_through_a_real_smtp_server(
    referral: Referral, client: Client, settings: Any
) -> None:
    """G2 over SMTP for real: aiosmtpd is the peer Django's SMTP backend talks to."""
    import socket

    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self) -> None:
            self.received: list[tuple[str, list[str], bytes]] = []

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            self.received.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
            return "250 OK"

    with socket.socket() as probe:  # a free port for the SMTP peer
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        login(client, "dispatcher")
        client.post(f"/referrals/{referral.pk}/reject/", {"comment": "Outside our area, sorry."})
        send_queued()
    finally:
        controller.stop()
    ((sender, recipients, content),) = inbox.received
    assert recipients == ["anna@agency.example"] and sender
    assert b"Outside our area, sorry." in content
    assert referral.messages.get().sent_at is not None
