"""A booking's events racing each other end as one enquiry (PostgreSQL, real threads)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from leadhub.enquiries.models import Enquiry, Status

from .conftest import booking_world, post

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _post_in_thread(name: str) -> int:
    try:
        return int(post(Client(), name).status_code)
    finally:
        connection.close()  # each thread has its own connection


@pytest.mark.parametrize(
    ("names", "live"),
    [
        (["invitee_created", "invitee_canceled"] * 8, 0),
        (["invitee_created", "reschedule_canceled", "reschedule_created"] * 5, 1),
    ],
)
def test_racing_events_of_one_booking_make_one_enquiry(names: list[str], live: int) -> None:
    booking_world()
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        statuses = list(pool.map(_post_in_thread, names))
    assert set(statuses) <= {200, 201}
    assert Enquiry.objects.count() == 1
    assert Enquiry.objects.exclude(status=Status.CLOSED).count() == live
