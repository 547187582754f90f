"""A brand's pending referral as a possible duplicate (D1): its e-mail is compared by the
same provider rule as contacts' (decision 0046), not as typed. A contact merged away is
no similar client of a referral."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from leadhub.contacts.models import Contact
from leadhub.duplicates.actions import merge_contacts, undo_merge
from leadhub.duplicates.check import run_pending
from leadhub.duplicates.models import Candidate
from leadhub.enquiries.models import Enquiry
from leadhub.orgs.models import User
from leadhub.referrals.models import Referral
from leadhub.referrals.queries import similar_to
from leadhub.testing.world import World, deliver, payload

from .conftest import submit

pytestmark = pytest.mark.django_db


def incoming(client: Client, email: str) -> Enquiry:
    contact = {"first_name": "Jan", "last_name": "Kowalski", "email": email, "phone": ""}
    answer = deliver(client, payload(contact=contact))
    assert answer.status_code == 201, answer.content
    return Enquiry.objects.get(number=answer.json()["number"])


@pytest.mark.parametrize(
    ("referred", "delivered", "found"),
    [
        ("Jan.Kowalski+flat@gmail.com", "jankowalski@googlemail.com", True),
        ("jan.kowalski@outlook.com", "Jan.Kowalski+offers@outlook.com", True),
        ("jan.kowalski@example.pl", "jankowalski@example.pl", False),  # a company's rule
    ],
)
def test_a_referral_is_found_by_the_providers_email_rule(
    world: World, link_path: str, client: Client, referred: str, delivered: str, found: bool
) -> None:
    submit(client, link_path, email=referred, phone="", national_id="")
    referral = Referral.objects.get()
    enquiry = incoming(client, delivered)
    run_pending()
    candidates = list(Candidate.objects.filter(enquiry=enquiry, referral=referral))
    assert bool(candidates) is found
    assert all("same e-mail" in c.reasons for c in candidates)


def test_reindex_rewrites_referrals_keys(world: World, link_path: str, client: Client) -> None:
    submit(client, link_path, email="Jan.Kowalski+flat@gmail.com")
    assert Referral.objects.get().email_key == "jankowalski@gmail.com"
    Referral.objects.update(email_key="")
    call_command("check_duplicates", "--reindex")
    assert Referral.objects.get().email_key == "jankowalski@gmail.com"


def test_the_migration_fills_earlier_referrals_keys(
    world: World, link_path: str, client: Client
) -> None:
    submit(client, link_path, email="Jan.Kowalski+flat@gmail.com")
    Referral.objects.update(email_key="")
    import_module("leadhub.referrals.migrations.0003_referral_email_key_fill").fill(apps, None)
    assert Referral.objects.get().email_key == "jankowalski@gmail.com"


def test_similar_clients_leave_a_merged_contact_out(
    world: World, link_path: str, client: Client
) -> None:
    submit(client, link_path, email="jan.k@example.pl", phone="")
    # Jan twice, both customers; merging keeps the e-mail row on the merged one too.
    kept, gone = (incoming(client, "jan.k@example.pl").contact for _ in range(2))
    for n, c in enumerate((kept, gone)):
        Contact.objects.filter(pk=c.pk).update(customer_number=f"C00000{n}")
    dispatcher = User.objects.get(username="dispatcher")
    merge = merge_contacts(kept, gone, by=dispatcher)
    referral = Referral.objects.get()
    assert [c.pk for c in similar_to(dispatcher, referral).clients] == [kept.pk]
    undo_merge(merge, by=dispatcher)
    assert {c.pk for c in similar_to(dispatcher, referral).clients} == {kept.pk, gone.pk}
