import smtplib
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from leadhub.notifications.tasks import send_offer_emails
from leadhub.routing.models import Offer
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import deliver, payload

pytestmark = pytest.mark.django_db


def offer_in_trento(client: Client, capture: Any) -> Offer:
    build_handoff_world()
    body = payload()
    body["contact"]["address"] = dict(TRENTO)
    with capture(execute=True):
        deliver(client, body)
    return Offer.objects.select_related("enquiry").get()


def test_new_offer_enqueues_an_email_with_the_commit(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    offer = offer_in_trento(client, django_capture_on_commit_callbacks)
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("send_offer_emails") and task.args_kwargs["args"] == [[offer.pk]]


def test_email_goes_to_responsible_users_without_personal_data(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    offer = offer_in_trento(client, django_capture_on_commit_callbacks)
    assert send_offer_emails.call([offer.pk]) == "sent 1"
    (message,) = mail.outbox
    assert message.to == ["u@a.example"]  # dealer-a-user sees all; dealer-a-own only its own
    assert offer.enquiry.number in message.subject
    assert f"/enquiries/{offer.enquiry.url_number}/" in message.body
    assert "38… Trento" in message.body
    for secret in ("Moretti", "Luca", "0471", "example.com", "Belenzani"):
        assert secret not in f"{message.subject} {message.body}", secret


def test_smtp_failure_schedules_a_retry(
    client: Client, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    offer = offer_in_trento(client, django_capture_on_commit_callbacks)

    def refuse(self: object, fail_silently: bool = False) -> int:
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert send_offer_emails.call([offer.pk]) == "sent 0; 1 failed, retry 2 in 0:01:00"
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert (
        retry is not None
        and retry.args_kwargs["args"] == [[offer.pk], 2]
        and retry.run_after is not None
    )
    with pytest.raises(RuntimeError, match="failed 8 times"):
        send_offer_emails.call([offer.pk], 8)


def test_no_email_once_the_offer_is_decided(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    offer = offer_in_trento(client, django_capture_on_commit_callbacks)
    Offer.objects.filter(pk=offer.pk).update(status="rejected")
    assert send_offer_emails.call([offer.pk]) == "sent 0"
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_it_after_commit(client: Client) -> None:
    from django.core.management import call_command

    build_handoff_world()
    body = payload()
    body["contact"]["address"] = dict(TRENTO)
    deliver(client, body)  # commits for real: the task is enqueued on commit
    call_command("db_worker", "--batch", "--no-reload", "--queue-name", "*", verbosity=0)
    assert [m.to for m in mail.outbox] == [["u@a.example"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_no_email_task_when_the_write_rolls_back(client: Client) -> None:
    from django.db import transaction

    from leadhub.enquiries.models import Enquiry

    build_handoff_world()
    body = payload()
    body["contact"]["address"] = dict(TRENTO)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert deliver(client, body).status_code == 201
        raise RuntimeError("something after the offer failed")
    assert not Enquiry.objects.exists() and not DBTaskResult.objects.exists()
