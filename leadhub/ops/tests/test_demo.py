from io import StringIO

import pytest
from django.core.management import call_command

from leadhub.enquiries.models import Enquiry
from leadhub.routing.models import Offer

pytestmark = pytest.mark.django_db


def test_demo_builds_a_world_and_is_safe_to_repeat() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    assert "Sample enquiries: 24 created" in out.getvalue()
    assert "accepted by Fenster Tirol" in out.getvalue()
    statuses = set(Offer.objects.values_list("status", flat=True))
    assert {"pending", "accepted", "rejected"} <= statuses
    before = Enquiry.objects.count()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "0 created, 24 already there" in out.getvalue()
    assert Enquiry.objects.count() == before
