"""F5 status feedback, against a real local HTTP server that fails on purpose."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.pipeline import ActionInput, perform
from leadhub.enquiries.states import TransitionError
from leadhub.feedback.delivery import MAX_ATTEMPTS, deliver_due
from leadhub.feedback.models import DeliveryState, FeedbackEndpoint, FeedbackEvent
from leadhub.feedback.outbox import forget_endpoints
from leadhub.orgs.models import User
from leadhub.testing.world import OTHER_TOKEN, World, deliver, login, payload

pytestmark = pytest.mark.django_db
SECRET = "feedback-secret-0123456789"


class Receiver:
    """The brand's endpoint: answers 503 to the first `failures` requests, then 204."""

    def __init__(self) -> None:
        self.failures = 0
        self.received: list[tuple[dict[str, Any], dict[str, str]]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.failures > 0:
                    receiver.failures -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.received.append(
                    (json.loads(body), dict(self.headers) | {"raw": body.decode()})
                )
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/leadhub"

    def statuses(self) -> list[str]:
        return [body["status"] for body, _h in self.received]


@pytest.fixture
def receiver(world: World) -> Iterator[Receiver]:
    r = Receiver()
    thread = threading.Thread(target=r.server.serve_forever, daemon=True)
    thread.start()
    FeedbackEndpoint.objects.create(brand=world.brand, url=r.url, secret=SECRET)
    forget_endpoints()
    yield r
    r.server.shutdown()
    forget_endpoints()


def start(number: str) -> None:
    e = Enquiry.objects.get(number=number)
    perform(
        e,
        "start",
        by=User.objects.get(username="dispatcher"),
        now=timezone.now(),
        data=ActionInput(),
    )


def test_changes_arrive_signed_and_in_order_despite_failures(
    receiver: Receiver, client: Client
) -> None:
    number = deliver(client, payload(external_id="crm-42")).json()["number"]
    start(number)
    assert list(FeedbackEvent.objects.values_list("payload__status", flat=True)) == [
        "new",
        "processing",
    ]
    receiver.failures = 2
    now = timezone.now()
    assert deliver_due(now) == 0  # the first fails; the second waits behind it
    first, second = FeedbackEvent.objects.order_by("id")
    assert (first.attempts, first.last_error, second.attempts) == (1, "HTTP 503", 0)
    assert deliver_due(now + timedelta(minutes=1)) == 0  # fails again
    assert deliver_due(now + timedelta(minutes=5)) == 2
    assert receiver.statuses() == ["new", "processing"]
    body, headers = receiver.received[0]
    assert body["enquiry"] == {"external_id": "crm-42", "type": "quote", "number": number}
    assert body["previous_status"] is None and body["holder"]["key"] == "brand"
    expected = hmac.new(SECRET.encode(), headers["raw"].encode(), hashlib.sha256).hexdigest()
    assert headers["X-Leadhub-Signature"] == f"sha256={expected}"
    assert headers["X-Leadhub-Event-Id"] == body["event_id"]
    assert not {"quote_amount", "order_amount", "contact"} & set(body)
    assert deliver_due(now + timedelta(hours=2)) == 0  # delivered once; nothing left


def test_a_refused_change_writes_nothing(receiver: Receiver, client: Client) -> None:
    number = deliver(client, payload()).json()["number"]
    with pytest.raises(TransitionError):
        perform(
            Enquiry.objects.get(number=number),
            "order",
            by=User.objects.get(username="dispatcher"),
            now=timezone.now(),
            data=ActionInput(),
        )
    assert FeedbackEvent.objects.count() == 1  # only "new" from intake


def test_only_brands_with_an_endpoint_and_their_channels(
    receiver: Receiver, client: Client
) -> None:
    deliver(client, payload(), token=OTHER_TOKEN, channel="other-web")
    assert FeedbackEvent.objects.count() == 0


def test_failed_after_many_attempts_then_resent_by_an_admin(
    receiver: Receiver, client: Client
) -> None:
    deliver(client, payload())
    receiver.failures = MAX_ATTEMPTS
    at = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        deliver_due(at)
        at += timedelta(hours=2)
    event = FeedbackEvent.objects.get()
    assert event.state == DeliveryState.FAILED and event.attempts == MAX_ATTEMPTS
    User.objects.filter(username="dispatcher").update(roles=["admin", "dispatcher"])
    login(client, "dispatcher")
    page = client.get("/admin/status-feedback/").content.decode()
    assert "HTTP 503" in page and event.enquiry.number in page
    client.post("/admin/status-feedback/", {"event": event.pk})
    assert deliver_due(timezone.now()) == 1 and receiver.statuses() == ["new"]
    # Other organisations' admins see none of it.
    login(client, "other-user")
    assert (
        event.enquiry.number
        not in client.get("/admin/status-feedback/?state=delivered").content.decode()
    )
    client.post("/admin/status-feedback/", {"event": event.pk})
    assert FeedbackEvent.objects.get().state == DeliveryState.DELIVERED
    login(client, "dealer-a-user")
    assert client.get("/admin/status-feedback/").status_code == 404
