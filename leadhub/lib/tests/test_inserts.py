from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.test import Client

from leadhub.enquiries.models import Enquiry, HistoryEntry
from leadhub.lib import inserts
from leadhub.lib.inserts import insert
from leadhub.orgs.models import Organisation
from leadhub.routing.models import Offer
from leadhub.sla.models import Deadline
from leadhub.testing.world import build_world, deliver, payload

pytestmark = pytest.mark.django_db

AT = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


@pytest.fixture
def enquiry() -> Enquiry:
    build_world()
    assert deliver(Client(), payload()).status_code == 201
    return Enquiry.objects.get()


def entry(enquiry: Enquiry, n: int) -> HistoryEntry:
    return HistoryEntry(
        enquiry=enquiry,
        at=AT,
        category="system",
        kind="note",
        message=f"entry {n}",
        organisation=enquiry.owner,
        data={"n": n, "nested": {"ü": [1, 2]}},
    )


def test_rows_get_their_keys_and_read_back_as_bulk_create_writes_them(enquiry: Enquiry) -> None:
    mine = insert([entry(enquiry, 1), entry(enquiry, 2)])
    django = HistoryEntry.objects.bulk_create([entry(enquiry, 1), entry(enquiry, 2)])
    assert all(e.pk is not None and not e._state.adding for e in mine)
    assert len({e.pk for e in [*mine, *django]}) == 4

    def stored(e: HistoryEntry) -> tuple[object, ...]:
        row = HistoryEntry.objects.get(pk=e.pk)
        return (row.at, row.category, row.kind, row.message, row.organisation_id, row.data)

    assert [stored(e) for e in mine] == [stored(e) for e in django]
    assert stored(mine[1])[5] == {"n": 2, "nested": {"ü": [1, 2]}}


def test_a_parent_saved_before_its_child_lends_it_its_key(enquiry: Enquiry) -> None:
    deadline = Deadline(kind="offer_expiry", enquiry=enquiry, due_at=AT)
    partner = Organisation.objects.get(key="dealer-a")
    offer = Offer(
        enquiry=enquiry,
        partner=partner,
        brand=enquiry.owner,
        rule_key="r",
        created_at=AT,
        deadline_at=AT,
        deadline=deadline,  # not saved yet
    )
    insert([deadline])
    insert([offer])
    assert Offer.objects.get(pk=offer.pk).deadline_id == deadline.pk


def test_an_unsaved_parent_is_refused(enquiry: Enquiry) -> None:
    unsaved = Enquiry(number="x", owner=enquiry.owner, contact=enquiry.contact)
    with pytest.raises(ValueError, match="not saved yet"):
        insert([Deadline(kind="offer_expiry", enquiry=unsaved, due_at=AT)])


def test_batches_stay_under_the_limit_and_keep_the_order(
    enquiry: Enquiry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inserts, "BATCH", 3)
    rows = insert([entry(enquiry, n) for n in range(8)])
    messages = dict(HistoryEntry.objects.filter(kind="note").values_list("pk", "message"))
    assert [messages[r.pk] for r in rows] == [f"entry {n}" for n in range(8)]


def test_a_unique_key_violation_raises_djangos_integrity_error(enquiry: Enquiry) -> None:
    twin = Enquiry.objects.get(pk=enquiry.pk)
    twin.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        insert([twin])  # the same number
    assert Enquiry.objects.count() == 1


def test_rows_of_two_models_or_mixed_keys_are_refused(enquiry: Enquiry) -> None:
    with pytest.raises(TypeError):
        insert([entry(enquiry, 1), Deadline(kind="x", enquiry=enquiry, due_at=AT)])
    brand = Organisation.objects.get(key="brand")
    with pytest.raises(ValueError):
        insert([Organisation(key="a", name="a"), brand])


def test_nothing_to_insert_is_no_statement(django_assert_num_queries: object) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert insert([]) == []


def test_values_passed_as_they_are_equal_what_their_fields_prepare(enquiry: Enquiry) -> None:
    from django.db import connection

    from leadhub.contacts.models import Contact

    rows: list[Model] = [
        enquiry,
        Contact.objects.get(pk=enquiry.contact_id),
        *HistoryEntry.objects.filter(enquiry=enquiry),
        *Deadline.objects.filter(enquiry=enquiry),
    ]
    checked = 0
    for row in rows:
        for field, plain in inserts._plan(type(row), True).fields:
            value = getattr(row, field.attname)
            if type(value) in plain:
                assert inserts._value(field, row, connection) == value, field
                checked += 1
    assert checked > 40
