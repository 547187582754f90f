"""The sweeper on any database: fires due deadlines once; a cancelled one never fires."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from leadhub.sla.models import Deadline
from leadhub.sla.sweeper import HANDLERS, cancel, fire, sweep
from leadhub.testing.world import World, deliver, payload

pytestmark = pytest.mark.django_db


def test_fires_due_deadlines_once_and_skips_cancelled(world: World, client: Client) -> None:
    number = deliver(client, payload()).json()["number"]
    now = timezone.now()
    from leadhub.enquiries.models import Enquiry

    enquiry = Enquiry.objects.get(number=number)
    due = [
        Deadline.objects.create(kind="test", enquiry=enquiry, due_at=now - timedelta(minutes=i))
        for i in range(3)
    ]
    later = Deadline.objects.create(kind="test", enquiry=enquiry, due_at=now + timedelta(hours=1))
    assert cancel(due[0], now)
    assert sweep(now) == []  # nobody handles kind "test": they stay due, none is lost
    assert Deadline.objects.filter(fired_at__isnull=False).count() == 0
    HANDLERS["test"] = lambda deadlines, at: {d.pk: f"handled {d.pk}" for d in deadlines}
    try:
        fired = sweep(now)
    finally:
        del HANDLERS["test"]
    assert sorted(f.deadline_id for f in fired) == sorted(d.pk for d in due[1:])
    assert {f.outcome for f in fired} == {f"handled {d.pk}" for d in due[1:]}
    assert sweep(now) == []
    assert fire(due[1].pk, now) is None  # already fired
    assert not cancel(due[1], now)  # too late to cancel: the sweeper won
    assert Deadline.objects.get(pk=later.pk).fired_at is None
