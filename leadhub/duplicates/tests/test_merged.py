"""A contact merged into another stays, empty, for undo: it is found by no lookup any
more (the entry form's contact finder, colleagues, duplicate candidates), cannot be
picked for a new enquiry, and its page still opens. Undo brings it back everywhere."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from leadhub.contacts.lookup import find_contacts
from leadhub.contacts.models import Contact
from leadhub.contacts.queries import colleagues_of
from leadhub.duplicates.actions import merge_contacts, undo_merge
from leadhub.duplicates.check import run_pending
from leadhub.duplicates.models import Merge
from leadhub.duplicates.queries import candidates_for, waiting
from leadhub.enquiries.manual import EntryRefused, ManualEntry, enter
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import Access
from leadhub.orgs.models import User
from leadhub.testing.handoff import build_handoff_world
from leadhub.testing.world import World, login

from .helpers import contact, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_handoff_world()


@pytest.fixture
def merged(world: World, client: Client) -> tuple[Enquiry, Enquiry, Enquiry, Merge]:
    """Luca (kept), Luca again with a company and another phone (merged into the first),
    and a third delivery that was found to duplicate both before the merge."""
    kept = receive(client, contact())
    gone = receive(
        client, contact(last_name="Moreti", phone="0471 555444", company="Moretti Serramenti")
    )
    third = receive(client, contact(first_name="Luca", email="", phone="0471 555444"))
    run_pending()
    merge = merge_contacts(kept.contact, gone.contact, by=admin())
    return kept, gone, third, merge


def admin() -> User:
    user = User.objects.get(username="dispatcher")
    user.roles = [*user.roles, "admin"]
    user.save(update_fields=["roles"])
    return user


def test_lookups_leave_a_merged_contact_out_until_undone(
    merged: tuple[Enquiry, Enquiry, Enquiry, Merge],
) -> None:
    kept, gone, third, merge = merged
    org, user = kept.owner, admin()

    def shown() -> dict[str, set[int | None]]:
        return {
            "finder": {c.pk for c in find_contacts(org, "Moret")},
            # Kept took the company of the merged one, which keeps it too.
            "colleagues": {
                c.pk for c in colleagues_of(user, Contact.objects.get(pk=kept.contact_id))
            },
            "panel": {c.contact_id for c in candidates_for(user, Access.OWNER, third)},
            "admins": {c.contact_id for c in waiting(user) if c.enquiry_id == third.pk},
        }

    third_own = third.contact_id
    assert shown() == {
        "finder": {kept.contact_id, third_own},
        "colleagues": set(),
        "panel": {kept.contact_id},
        "admins": {kept.contact_id},
    }
    undo_merge(merge, by=user)
    assert shown() == {
        "finder": {kept.contact_id, gone.contact_id, third_own},
        "colleagues": set(),  # the company went back with the merged contact
        "panel": {kept.contact_id, gone.contact_id},
        "admins": {kept.contact_id, gone.contact_id},
    }


def test_a_merged_contact_is_not_picked_for_an_entry_but_its_page_opens(
    merged: tuple[Enquiry, Enquiry, Enquiry, Merge], client: Client
) -> None:
    _kept, gone, _third, _merge = merged
    with pytest.raises(EntryRefused, match="merged into another contact"):
        enter(
            ManualEntry(type="quote", contact_id=gone.contact_id, route=False),
            by=admin(),
            now=timezone.now(),
        )
    login(client, "dispatcher")
    assert client.get(f"/contacts/{gone.contact_id}/").status_code == 200
