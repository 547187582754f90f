"""The contact edit and "add colleague" forms (D2, D3). The e-mail and phone rows are
repeated inputs (email_address/email_label, phone_number/phone_label) read in order; the
province is a select for IT, ES and PT (contacts/provinces.py), free text elsewhere. The
checks themselves are contacts/validation.py's, called by contacts/actions.py."""

from __future__ import annotations

from dataclasses import dataclass, fields
from itertools import zip_longest

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from leadhub.contacts.models import Contact, ContactKind, EmailLabel, PhoneLabel
from leadhub.contacts.provinces import LEVELS, provinces
from leadhub.contacts.queries import emails_of, phones_of
from leadhub.contacts.validation import ContactDetails, EmailRow, PhoneRow

EXTRA_ROWS = 2  # empty rows offered below the stored ones (no script needed to add one)


class DetailsForm(forms.Form):
    kind = forms.ChoiceField(label=_("Contact type"), choices=ContactKind.choices)
    title = forms.CharField(label=_("Title"), required=False, max_length=40)
    first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=100)
    company = forms.CharField(label=_("Company"), required=False, max_length=200)
    vat_number = forms.CharField(label=_("VAT number"), required=False, max_length=40)
    national_id = forms.CharField(label=_("National id"), required=False, max_length=40)
    language = forms.CharField(label=_("Language"), required=False, max_length=8)
    street = forms.CharField(label=_("Street"), required=False, max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=16)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    country = forms.CharField(label=_("Country (two letters)"), required=False, max_length=2)
    province = forms.CharField(label=_("Province"), required=False, max_length=60)

    def details(self) -> ContactDetails:
        data = self.cleaned_data
        return ContactDetails(**{f.name: data.get(f.name) or "" for f in fields(ContactDetails)})

    def add_problems(self, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)


class ColleagueForm(DetailsForm):
    """Names and ways to reach them; company and address come from the contact."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("company", "vat_number", "street", "postal_code", "city", "country"):
            del self.fields[name]
        del self.fields["province"]


def initial_of(contact: Contact) -> dict[str, str]:
    return {f.name: getattr(contact, f.name) for f in fields(ContactDetails)}


@dataclass(frozen=True)
class Row:
    value: str
    label: str
    error: str = ""


def email_rows(post: QueryDict | None, contact: Contact | None) -> list[EmailRow]:
    if post is not None:
        pairs = zip_longest(post.getlist("email_address"), post.getlist("email_label"))
        return [EmailRow((v or "").strip(), lab or EmailLabel.WORK) for v, lab in pairs]
    return [EmailRow(e.email, e.label) for e in emails_of(contact)] if contact else []


def phone_rows(post: QueryDict | None, contact: Contact | None) -> list[PhoneRow]:
    if post is not None:
        pairs = zip_longest(post.getlist("phone_number"), post.getlist("phone_label"))
        return [PhoneRow((v or "").strip(), lab or PhoneLabel.WORK) for v, lab in pairs]
    return [PhoneRow(p.phone, p.label) for p in phones_of(contact)] if contact else []


def shown_rows(rows: list[tuple[str, str]], problems: dict[str, str], prefix: str) -> list[Row]:
    """The (value, label) rows as typed with their problems, and empty ones to fill in."""
    out = [
        Row(value, label, problems.get(f"{prefix}.{i}", ""))
        for i, (value, label) in enumerate(rows)
        if value or f"{prefix}.{i}" in problems
    ]
    default = EmailLabel.WORK if prefix == "emails" else PhoneLabel.MOBILE
    return out + [Row("", default) for _ in range(EXTRA_ROWS)]


def province_lists() -> dict[str, tuple[tuple[str, str], ...]]:
    """Per country with a list: (code, name), for the select the page switches between."""
    return {cc: provinces(cc) for cc in LEVELS}
