"""Enquiry.place_country, kept by the database's triggers (migration 0016): the site's
country when a site is given, else the contact's, whoever writes either row. A table
rebuild on SQLite drops triggers: these tests notice."""

from __future__ import annotations

import pytest
from django.test import Client

from leadhub.contacts.models import Contact
from leadhub.enquiries.models import Enquiry
from leadhub.testing.world import World, deliver, payload

pytestmark = pytest.mark.django_db


def place_of(number: str) -> str:
    return str(Enquiry.objects.values_list("place_country", flat=True).get(number=number))


def site(country: str) -> dict[str, str]:
    return {"street": "Hauptstr. 1", "postal_code": "80331", "city": "München", "country": country}


def test_a_new_enquiry_is_placed_at_its_site_else_at_its_contact(
    world: World, client: Client
) -> None:
    at_contact = deliver(client, payload()).json()["number"]
    at_site = deliver(client, payload(site_address=site("DE"))).json()["number"]
    assert (place_of(at_contact), place_of(at_site)) == ("IT", "DE")


def test_the_place_follows_the_contact_unless_a_site_is_given(world: World, client: Client) -> None:
    at_contact = deliver(client, payload()).json()["number"]
    at_site = deliver(client, payload(site_address=site("DE"))).json()["number"]
    for enquiry in Enquiry.objects.filter(number__in=[at_contact, at_site]):
        Contact.objects.filter(pk=enquiry.contact_id).update(country="AT")
    assert (place_of(at_contact), place_of(at_site)) == ("AT", "DE")


def test_the_place_follows_a_site_change_and_a_move_to_another_contact(
    world: World, client: Client
) -> None:
    number = deliver(client, payload()).json()["number"]
    enquiry = Enquiry.objects.get(number=number)
    enquiry.site_country = "CH"
    enquiry.save()  # the instance's own, stale place_country is not what stays
    assert place_of(number) == "CH"
    Enquiry.objects.filter(pk=enquiry.pk).update(site_country="")
    assert place_of(number) == "IT"
    elsewhere = Contact.objects.create(owner=world.brand, last_name="Huber", country="FR")
    Enquiry.objects.filter(pk=enquiry.pk).update(contact=elsewhere)
    assert place_of(number) == "FR"
