"""Writes on contacts: the primary row mirrored into Contact.email/phone, row order, one
transaction per write (a refused edit leaves everything as it was), the change log, the
search documents and consents."""

from __future__ import annotations

import pytest
from django.test import Client

from leadhub.contacts.actions import (
    add_colleague,
    create_contact,
    save_contact,
    set_consent,
    set_emails,
    set_phones,
)
from leadhub.contacts.models import Contact, ContactChange, ContactEmail, ContactPhone
from leadhub.contacts.validation import ContactDetails, ContactInvalid, EmailRow, PhoneRow
from leadhub.enquiries.models import Enquiry
from leadhub.search.queries import search
from leadhub.search.text import read_query
from leadhub.testing.world import World, deliver, payload


@pytest.fixture
def contact(world: World, client: Client) -> Contact:
    number = deliver(client, payload()).json()["number"]
    return Enquiry.objects.get(number=number).contact


def details_of(c: Contact, **changes: str) -> ContactDetails:
    fields = {f: getattr(c, f) for f in ContactDetails.__dataclass_fields__}
    return ContactDetails(**(fields | changes))


def test_intake_writes_the_primary_rows(contact: Contact) -> None:
    assert [(e.email, e.label, e.position) for e in contact.emails.all()] == [
        ("luca.moretti@example.com", "private", 0)
    ]
    assert [(p.phone, p.position) for p in contact.phones.all()] == [("+390471123456", 0)]
    assert contact.email == "luca.moretti@example.com" and contact.phone == "+390471123456"


def test_set_emails_keeps_order_and_mirrors_the_primary(contact: Contact, world: World) -> None:
    by = world.user("dispatcher")
    set_emails(
        contact,
        [EmailRow("Office@Rossi.example", "work"), EmailRow("luca.moretti@example.com", "private")],
        by=by,
    )
    contact.refresh_from_db()
    assert contact.email == "office@rossi.example"
    assert [(e.email, e.position) for e in contact.emails.all()] == [
        ("office@rossi.example", 0),
        ("luca.moretti@example.com", 1),
    ]
    set_emails(contact, [], by=by)  # e-mail optional: none known any more
    contact.refresh_from_db()
    assert contact.email == "" and not contact.emails.exists()
    assert list(contact.changes.values_list("kind", flat=True)) == ["emails", "emails"]


def test_set_phones_reads_national_numbers_for_the_contacts_country(
    contact: Contact, world: World
) -> None:
    by = world.user("dispatcher")
    set_phones(contact, [PhoneRow("333 1234567", "mobile"), PhoneRow("0471 123456", "work")], by=by)
    contact.refresh_from_db()
    assert contact.phone == "+393331234567"
    assert list(contact.phones.values_list("phone", "label")) == [
        ("+393331234567", "mobile"),
        ("+390471123456", "work"),
    ]
    # The second number (position 1) is found by its digits too.
    set_phones(contact, [PhoneRow("0471 123456"), PhoneRow("333 7654321")], by=by)
    hits = search(by, read_query("3337654321")).hits
    assert [h.enquiry.contact_id for h in hits] == [contact.pk]


def test_a_refused_edit_changes_nothing(contact: Contact, world: World) -> None:
    before = (Contact.objects.filter(pk=contact.pk).values().get(), ContactChange.objects.count())
    with pytest.raises(ContactInvalid) as caught:
        save_contact(
            contact,
            details_of(contact, first_name="Marco", vat_number="123"),
            emails=[EmailRow("new@example.com"), EmailRow("broken@")],
            phones=[PhoneRow("0471 999999")],
            by=world.user("dispatcher"),
        )
    assert set(caught.value.problems) == {"vat_number", "emails.1"}
    assert (
        Contact.objects.filter(pk=contact.pk).values().get(),
        ContactChange.objects.count(),
    ) == before
    assert list(ContactEmail.objects.filter(contact=contact).values_list("email", flat=True)) == [
        "luca.moretti@example.com"
    ]


def test_save_contact_logs_the_fields_and_refreshes_search(contact: Contact, world: World) -> None:
    by = world.user("dispatcher")
    save_contact(
        contact,
        details_of(contact, company="Serramenti Rossi S.r.l.", vat_number="IT 00743110157"),
        emails=[EmailRow("luca.moretti@example.com", "private"), EmailRow("ufficio@rossi.example")],
        phones=None,
        by=by,
    )
    contact.refresh_from_db()
    assert (contact.vat_number, contact.company_key) == ("00743110157", "serramenti rossi")
    change = contact.changes.get()
    assert change.kind == "edited" and change.actor == by
    assert set(change.fields) == {"company", "vat_number", "emails"}
    # The further e-mail is in the search document of the contact's enquiry.
    hits = search(by, read_query("ufficio@rossi.example")).hits
    assert [h.enquiry.contact_id for h in hits] == [contact.pk]
    # The same edit again (a retry) writes nothing.
    save_contact(contact, details_of(contact), by=by)
    assert contact.changes.count() == 1


def test_add_colleague_shares_company_address_and_owner(contact: Contact, world: World) -> None:
    by = world.user("dispatcher")
    contact = save_contact(
        contact, details_of(contact, kind="business", company="Rossi SpA"), by=by
    )
    colleague = add_colleague(
        contact,
        ContactDetails(kind="business", first_name="Giulia", last_name="Bianchi"),
        emails=[EmailRow("giulia@rossi.example")],
        phones=[PhoneRow("0471 654321", "work")],
        by=by,
    )
    assert colleague.pk != contact.pk
    assert (colleague.owner, colleague.company, colleague.company_key) == (
        contact.owner,
        "Rossi SpA",
        "rossi",
    )
    assert (colleague.street, colleague.city, colleague.province) == (
        contact.street,
        contact.city,
        contact.province,
    )
    assert (colleague.email, colleague.phone) == ("giulia@rossi.example", "+390471654321")
    assert colleague.changes.get().kind == "created"


def test_create_contact_checks_unless_told_it_is_checked(world: World) -> None:
    with pytest.raises(ContactInvalid):
        create_contact(world.brand, ContactDetails(last_name="X", country="IT", province="Nowhere"))
    assert not Contact.objects.filter(last_name="X").exists()
    c = create_contact(
        world.brand,
        ContactDetails(last_name="X", country="PT", province="aveiro"),
        phones=[PhoneRow("+351 912 345 678", "mobile")],
    )
    assert (c.province, c.phone) == ("01", "+351912345678")
    assert ContactPhone.objects.filter(contact=c).count() == 1


def test_consents_are_appended_and_a_repeat_adds_nothing(contact: Contact, world: World) -> None:
    by = world.user("dispatcher")
    assert set_consent(contact, "marketing_email", given=True, source="web form", by=by)
    assert set_consent(contact, "marketing_email", given=True, source="web form", by=by) is None
    assert set_consent(contact, "marketing_email", given=False, source="phone call", by=by)
    assert list(contact.consents.order_by("at", "id").values_list("given", flat=True)) == [
        True,
        False,
    ]
    with pytest.raises(ContactInvalid) as caught:
        set_consent(contact, "smoke_signals", given=True, source="", by=by)
    assert set(caught.value.problems) == {"kind", "source"}


def test_webhook_may_send_further_emails_and_phones(world: World, client: Client) -> None:
    body = payload()
    body["contact"] |= {
        "emails": ["luca.moretti@example.com", "Ufficio@Moretti.example"],
        "phones": ["333 1234567"],
    }
    answer = deliver(client, body)
    assert answer.status_code == 201, answer.content
    contact = Enquiry.objects.get(number=answer.json()["number"]).contact
    assert list(contact.emails.values_list("email", "position")) == [
        ("luca.moretti@example.com", 0),
        ("ufficio@moretti.example", 1),
    ]
    assert list(contact.phones.values_list("phone", flat=True)) == [
        "+390471123456",
        "+393331234567",
    ]
    assert contact.email == "luca.moretti@example.com"


def test_webhook_refuses_a_bad_further_email_by_its_index(world: World, client: Client) -> None:
    body = payload()
    body["contact"] |= {"emails": ["ok@example.com", "broken@"], "phones": ["12"]}
    answer = deliver(client, body)
    assert answer.status_code == 422
    fields = {e["field"] for e in answer.json()["errors"]}
    assert {"contact.emails.1", "contact.phones.0"} <= fields
    assert not Contact.objects.exists()


def test_webhook_with_only_a_list_makes_its_first_the_primary(world: World, client: Client) -> None:
    body = payload()
    body["contact"] = body["contact"] | {"email": "", "phone": "", "emails": ["a@example.com"]}
    answer = deliver(client, body)
    assert answer.status_code == 201, answer.content
    contact = Enquiry.objects.get(number=answer.json()["number"]).contact
    assert (contact.email, contact.phone) == ("a@example.com", "")
