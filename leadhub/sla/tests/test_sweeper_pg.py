"""Real concurrency on PostgreSQL: several sweeper processes, and accepts racing expiries."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from leadhub.enquiries.models import Enquiry, HistoryEntry
from leadhub.routing.actions import HandOffError, accept_offer
from leadhub.routing.models import Offer, OfferStatus
from leadhub.sla.models import Deadline
from leadhub.sla.sweeper import fire
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import World, deliver, payload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def offers(n: int) -> list[Offer]:
    client = Client()
    for _ in range(n):
        body = payload()
        body["contact"]["address"] = dict(TRENTO)
        assert deliver(client, body).status_code == 201
    return list(
        Offer.objects.filter(status=OfferStatus.PENDING).select_related("deadline", "enquiry")
    )


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_several_sweeper_processes_fire_each_deadline_exactly_once() -> None:
    build_handoff_world()
    pending = offers(60)
    at = (max(o.deadline_at for o in pending) + timedelta(minutes=1)).isoformat()
    env = os.environ | {"LEADHUB_DATABASE_URL": database_url(), "LEADHUB_LOG_LEVEL": "WARNING"}
    sweepers = [
        subprocess.Popen(
            [sys.executable, "-m", "leadhub.cli", "sweep", "--at", at],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in sweepers]
    assert all(p.returncode == 0 for p in sweepers), outputs
    lines = [line for out in outputs for line in out.splitlines() if ": offer_expiry: " in line]
    fired_numbers = sorted(line.split(":")[0] for line in lines)
    assert fired_numbers == sorted(
        o.enquiry.number for o in pending
    )  # each exactly once, none lost
    assert Deadline.objects.filter(fired_at__isnull=False).count() == len(pending)
    assert Offer.objects.filter(status=OfferStatus.EXPIRED).count() == len(pending)
    assert HistoryEntry.objects.filter(kind="offer_returned").count() == len(pending)
    # Each went on to the pool's other dealer, with a new deadline counted from the expiry.
    follow_ups = Offer.objects.filter(status=OfferStatus.PENDING)
    assert follow_ups.count() == len(pending)
    expired_to = dict(
        Offer.objects.filter(status=OfferStatus.EXPIRED).values_list("enquiry_id", "partner_id")
    )
    assert all(o.partner_id != expired_to[o.enquiry_id] for o in follow_ups)


def test_accept_racing_expiry_wins_completely_or_loses_with_409() -> None:
    build_handoff_world()
    pending = offers(30)
    user = World.user("dealer-a-user")
    results: dict[int, str] = {}
    barrier = threading.Barrier(2)

    def accept(offer: Offer) -> None:
        try:
            barrier.wait(timeout=30)
            accept_offer(offer.enquiry, by=user, now=timezone.now())
            results[offer.pk] = "accepted"
        except HandOffError:
            results[offer.pk] = "lost"
        finally:
            connection.close()

    def expire(offer: Offer, head_start: float) -> None:
        try:
            barrier.wait(timeout=30)
            time.sleep(head_start)  # vary who gets there first, so both outcomes occur
            assert offer.deadline is not None
            fire(offer.deadline.pk, offer.deadline_at + timedelta(seconds=1))
        finally:
            connection.close()

    for i, offer in enumerate(pending):
        head_start = (0.0, 0.002, 0.02)[i % 3]
        threads = [
            threading.Thread(target=accept, args=(offer,)),
            threading.Thread(target=expire, args=(offer, head_start)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        barrier.reset()
    outcomes: dict[str, int] = {"accepted": 0, "lost": 0}
    for offer in pending:
        offer.refresh_from_db()
        deadline: Any = Deadline.objects.get(offer=offer)
        enquiry = Enquiry.objects.get(pk=offer.enquiry_id)
        outcomes[results[offer.pk]] += 1
        if results[offer.pk] == "accepted":
            assert offer.status == OfferStatus.ACCEPTED and enquiry.owner_id == user.organisation_id
            assert deadline.cancelled_at is not None and deadline.fired_at is None
            assert not enquiry.history.filter(kind="offer_returned").exists()
        else:
            assert offer.status == OfferStatus.EXPIRED and enquiry.owner_id != user.organisation_id
            assert deadline.fired_at is not None and deadline.cancelled_at is None
            assert not enquiry.history.filter(kind="offer_accepted").exists()
    assert sum(outcomes.values()) == len(pending)
    assert outcomes["accepted"] > 0 and outcomes["lost"] > 0, outcomes
