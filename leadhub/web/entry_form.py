"""The manual entry form (A6): a new contact or an existing one, and the enquiry."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leadhub.contacts.models import Contact, ContactKind
from leadhub.enquiries.manual import (
    SHAREABLE,
    EntryRefused,
    ManualEntry,
    NewContact,
    checked_contact,
)
from leadhub.enquiries.models import EnquiryType
from leadhub.orgs.models import OrgKind, User

CONTACT_FIELDS = (
    "kind",
    "title",
    "first_name",
    "last_name",
    "company",
    "email",
    "phone",
    "language",
    "street",
    "postal_code",
    "city",
    "province",
    "country",
)


class ManualEntryForm(forms.Form):
    entry_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    type = forms.ChoiceField(label=_("Type"), choices=EnquiryType.choices)
    text = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )
    project_name = forms.CharField(label=_("Project"), max_length=200, required=False)
    contact_id = forms.IntegerField(required=False)  # radio buttons of the contact search
    kind = forms.ChoiceField(
        label=_("Contact type"), choices=ContactKind.choices, initial=ContactKind.PRIVATE
    )
    title = forms.CharField(label=_("Title"), max_length=40, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    email = forms.CharField(label=_("E-mail (if known)"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.CharField(label=_("Language"), max_length=8, required=False)
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=16, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    province = forms.CharField(label=_("Province"), max_length=40, required=False)
    country = forms.CharField(label=_("Country"), max_length=2, required=False)
    route = forms.BooleanField(
        label=_("Route it by our rules (otherwise it stays with me)"), required=False, initial=True
    )
    share_with = forms.ChoiceField(label=_("Share with brand"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        org = user.organisation
        if not self.is_bound:
            self.initial.setdefault("entry_key", uuid.uuid4().hex)
        if org is None or org.kind != OrgKind.BRAND:
            del self.fields["route"]
        brands = list(org.brands.order_by("name")) if org and org.kind == OrgKind.PARTNER else []
        if brands:
            share = self.fields["share_with"]
            assert isinstance(share, forms.ChoiceField)
            share.choices = [("", _("No: ours only")), *((b.key, b.name) for b in brands)]
            share.help_text = _("Business and prescriber contacts only.")
        else:
            del self.fields["share_with"]
        self.existing: Contact | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        contact_id = data.get("contact_id")
        if contact_id:
            self.existing = Contact.objects.filter(
                owner=self.user.organisation, pk=contact_id
            ).first()
            if self.existing is None:
                raise forms.ValidationError(_("That contact is not one of your organisation."))
        else:
            try:
                checked_contact(NewContact(**{f: data.get(f) or "" for f in CONTACT_FIELDS}))
            except EntryRefused as exc:
                for name, problem in exc.problems.items():
                    self.add_error(name if name in self.fields else None, problem)
        kind = self.existing.kind if self.existing else data.get("kind")
        if data.get("share_with") and kind not in SHAREABLE:
            self.add_error(
                "share_with",
                _("Only business and prescriber contacts are shared, never private persons."),
            )
        return data

    def entry(self) -> ManualEntry:
        data = self.cleaned_data
        contact = (
            None if self.existing else NewContact(**{f: data.get(f) or "" for f in CONTACT_FIELDS})
        )
        return ManualEntry(
            type=data["type"],
            text=data.get("text", ""),
            project_name=data.get("project_name", ""),
            contact=contact,
            contact_id=self.existing.pk if self.existing else None,
            route=bool(data.get("route", False)),
            share_with=data.get("share_with") or "",
            entry_key=data["entry_key"],
        )
