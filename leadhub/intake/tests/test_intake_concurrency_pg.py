"""50 parallel deliveries of one Idempotency-Key make one enquiry (PostgreSQL, real threads)."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from leadhub.enquiries.models import Enquiry
from leadhub.intake.models import IntakeReceipt
from leadhub.testing.world import build_world, deliver, payload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _deliver_in_thread(body: bytes, key: str | None) -> tuple[int, str]:
    try:
        response = deliver(Client(), body, idempotency_key=key)
        return response.status_code, response.json().get("number", "")
    finally:
        connection.close()  # each thread has its own connection


def test_fifty_parallel_deliveries_of_one_key_make_one_enquiry() -> None:
    build_world()
    body = json.dumps(payload()).encode()
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda _: _deliver_in_thread(body, "same-key"), range(50)))
    assert {status for status, _ in results} == {201}
    assert len({number for _, number in results}) == 1
    assert Enquiry.objects.count() == 1
    assert IntakeReceipt.objects.count() == 1


def test_parallel_deliveries_of_one_external_id_make_one_enquiry() -> None:
    build_world()
    body = json.dumps(payload(external_id="crm-1")).encode()
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: _deliver_in_thread(body, None), range(20)))
    assert len({number for _, number in results}) == 1
    assert Enquiry.objects.count() == 1


def test_parallel_distinct_deliveries_get_distinct_numbers() -> None:
    build_world()
    bodies = [json.dumps(payload(external_id=f"e-{i}")).encode() for i in range(30)]
    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(lambda b: _deliver_in_thread(b, None), bodies))
    numbers = [number for _, number in results]
    assert len(set(numbers)) == 30
    sequences = sorted(int(n.split("/")[1]) for n in numbers)
    assert sequences == list(range(1, 31))  # no gaps, no repeats
