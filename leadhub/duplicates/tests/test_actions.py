"""Link, merge, undo and keep apart (actions.py): one transaction each with history, a
retry changes nothing, a kept-apart pair is never suggested again."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from leadhub.contacts.actions import set_consent
from leadhub.contacts.models import Contact, ContactChange
from leadhub.duplicates.actions import (
    DuplicateRefused,
    keep_apart,
    link_to_contact,
    merge_contacts,
    undo_merge,
)
from leadhub.duplicates.models import Candidate, ContactKey, KeptApart, Merge, PendingCheck
from leadhub.enquiries.models import Enquiry, HistoryEntry
from leadhub.orgs.models import User
from leadhub.testing.handoff import build_handoff_world
from leadhub.testing.world import World

from .helpers import checked, contact, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_handoff_world()


@pytest.fixture
def pair(world: World, client: Client) -> tuple[Enquiry, Enquiry, Candidate]:
    """Luca twice: the second time with another phone, a typo and a company."""
    first = receive(client, contact())
    second = receive(
        client,
        contact(last_name="Moreti", phone="0471 555444", company="Moretti Serramenti"),
    )
    (found,) = checked(second)
    return first, second, found


def dispatcher() -> User:
    return User.objects.get(username="dispatcher")


def test_link_moves_only_this_enquiry(pair: tuple[Enquiry, Enquiry, Candidate]) -> None:
    first, second, found = pair
    own = second.contact_id
    linked = link_to_contact(found, by=dispatcher())
    assert linked.contact_id == first.contact_id
    assert Contact.objects.filter(pk=own).exists()  # the other contact stays as it was
    entry = HistoryEntry.objects.get(enquiry=second, kind="contact_linked")
    assert entry.data == {"from_contact": own, "to_contact": first.contact_id}
    assert Candidate.objects.get(pk=found.pk).decision == "linked"
    again = link_to_contact(found, by=dispatcher())  # a retry
    assert again.contact_id == first.contact_id
    assert HistoryEntry.objects.filter(kind="contact_linked").count() == 1


def test_merge_moves_everything_and_undo_puts_it_back(
    pair: tuple[Enquiry, Enquiry, Candidate],
) -> None:
    first, second, found = pair
    kept, gone = first.contact, second.contact
    set_consent(gone, "marketing_email", given=True, source="web form", by=None)
    merge = merge_contacts(kept, gone, by=dispatcher(), enquiry=second)
    kept.refresh_from_db()
    gone.refresh_from_db()
    assert set(kept.enquiries.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert list(kept.phones.values_list("phone", flat=True)) == ["+390471123456", "+390471555444"]
    assert list(kept.emails.values_list("email", flat=True)) == ["luca.moretti@example.com"]
    assert kept.consents.count() == 1 and gone.consents.count() == 0
    assert kept.company == "Moretti Serramenti" and kept.company_key  # filled, was empty
    assert kept.last_name == "Moretti"  # not overwritten
    assert (gone.phone, gone.enquiries.count()) == ("", 0)
    assert not ContactKey.objects.filter(contact=gone).exists()  # out of every check
    entries = HistoryEntry.objects.filter(kind="contacts_merged")
    assert {e.enquiry_id for e in entries} == {first.pk, second.pk}
    assert all(e.data == {"merge": merge.pk} for e in entries)
    assert ContactChange.objects.filter(contact=kept, kind="merge").exists()
    assert Candidate.objects.get(pk=found.pk).decision == "merged"
    assert merge_contacts(kept, gone, by=dispatcher()) == merge  # a retry
    assert Merge.objects.count() == 1
    undo_merge(merge, by=dispatcher())
    kept.refresh_from_db()
    gone.refresh_from_db()
    assert list(kept.enquiries.values_list("pk", flat=True)) == [first.pk]
    assert list(gone.enquiries.values_list("pk", flat=True)) == [second.pk]
    assert gone.phone == "+390471555444" and gone.consents.count() == 1
    assert kept.company == "" and kept.phones.count() == 1
    assert ContactKey.objects.filter(contact=gone, kind="phone").exists()
    assert HistoryEntry.objects.filter(kind="merge_undone").count() == 2
    assert undo_merge(merge, by=dispatcher()).undone_at is not None  # a retry
    assert HistoryEntry.objects.filter(kind="merge_undone").count() == 2


def test_merge_refuses_itself_and_a_chain(pair: tuple[Enquiry, Enquiry, Candidate]) -> None:
    first, second, _ = pair
    with pytest.raises(DuplicateRefused):
        merge_contacts(first.contact, first.contact, by=dispatcher())
    merge_contacts(first.contact, second.contact, by=dispatcher())
    with pytest.raises(DuplicateRefused):
        merge_contacts(second.contact, first.contact, by=dispatcher())


def test_merge_refuses_another_organisations_contact(
    pair: tuple[Enquiry, Enquiry, Candidate],
) -> None:
    first, second, _ = pair
    with pytest.raises(DuplicateRefused):
        merge_contacts(first.contact, second.contact, by=User.objects.get(username="other-user"))
    assert Merge.objects.count() == 0


def test_kept_apart_is_remembered(pair: tuple[Enquiry, Enquiry, Candidate], client: Client) -> None:
    first, second, found = pair
    keep_apart(found, by=dispatcher())
    keep_apart(found, by=dispatcher())  # a retry
    assert KeptApart.objects.count() == 1
    assert HistoryEntry.objects.filter(kind="duplicate_kept_apart").count() == 1
    PendingCheck.objects.create(enquiry=second, organisation=second.owner, occasion="intake")
    assert [c.decision for c in checked(second)] == ["apart"]  # the decided one only
    # Nor is the pair suggested when the first one's contact gets a new enquiry checked.
    PendingCheck.objects.create(enquiry=first, organisation=first.owner, occasion="intake")
    assert checked(first) == []


def test_the_merged_contact_is_no_candidate_any_more(
    pair: tuple[Enquiry, Enquiry, Candidate], client: Client
) -> None:
    first, second, _ = pair
    merge_contacts(first.contact, second.contact, by=dispatcher())
    third = receive(client, contact(last_name="Moreti", email="x@y.example", phone="0471 555444"))
    found = checked(third)
    assert [c.contact_id for c in found] == [first.contact_id]
    assert Merge.objects.get().undone_at is None
    assert timezone.now()
