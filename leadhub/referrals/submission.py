"""What a broker submits, checked (pure: no database). The public form and the tests use it;
actions.submit_referral stores the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leadhub.contacts.identifiers import IdentifierError, normalise_email, normalise_phone
from leadhub.documents.kinds import DocumentRefused, Kind, clean_filename, sniff

from .identity import IdentityError, normalise_id_card, normalise_pesel

MAX_DOCUMENTS = 5


@dataclass(frozen=True)
class Attachment:
    upload: UploadedFile[bytes]
    kind: Kind
    filename: str


@dataclass(frozen=True)
class ReferralData:
    first_name: str
    last_name: str
    phone: str
    email: str
    national_id: str
    id_card: str
    note: str
    broker_name: str
    broker_email: str
    broker_phone: str
    attachments: list[Attachment] = field(default_factory=list)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ReferralSubmission(forms.Form):
    """The broker's form. Labels are for people: the broker may be anyone."""

    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)
    first_name = forms.CharField(label=gettext_lazy("Client's first name"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("Client's last name"), max_length=100)
    phone = forms.CharField(label=gettext_lazy("Client's phone"), max_length=40, required=False)
    email = forms.CharField(label=gettext_lazy("Client's e-mail"), max_length=254, required=False)
    national_id = forms.CharField(
        label=gettext_lazy("Client's PESEL"), max_length=20, required=False
    )
    id_card = forms.CharField(
        label=gettext_lazy("Client's identity-card number"), max_length=20, required=False
    )
    note = forms.CharField(
        label=gettext_lazy("Notes about the client"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    documents = MultipleFileField(label=gettext_lazy("Documents"), required=False)
    broker_name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    broker_email = forms.CharField(label=gettext_lazy("Your e-mail"), max_length=254)
    broker_phone = forms.CharField(label=gettext_lazy("Your phone"), max_length=40, required=False)
    consent = forms.BooleanField(
        label=gettext_lazy("The client agreed that I pass these data on for this project.")
    )

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country = country  # phone numbers without a prefix are read as this country's

    def _phone(self, name: str) -> str:
        raw = self.cleaned_data.get(name, "").strip()
        try:
            return normalise_phone(raw, self.country) if raw else ""
        except IdentifierError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def _email(self, name: str) -> str:
        raw = self.cleaned_data.get(name, "").strip()
        try:
            return normalise_email(raw) if raw else ""
        except IdentifierError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_phone(self) -> str:
        return self._phone("phone")

    def clean_broker_phone(self) -> str:
        return self._phone("broker_phone")

    def clean_email(self) -> str:
        return self._email("email")

    def clean_broker_email(self) -> str:
        return self._email("broker_email")

    def clean_national_id(self) -> str:
        raw = self.cleaned_data.get("national_id", "").strip()
        try:
            return normalise_pesel(raw) if raw else ""
        except IdentityError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_id_card(self) -> str:
        raw = self.cleaned_data.get("id_card", "").strip()
        try:
            return normalise_id_card(raw) if raw else ""
        except IdentityError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_documents(self) -> list[Attachment]:
        uploads: list[UploadedFile[bytes]] = self.cleaned_data.get("documents") or []
        if len(uploads) > MAX_DOCUMENTS:
            raise forms.ValidationError(
                _("At most %(n)s documents per referral.") % {"n": MAX_DOCUMENTS}
            )
        limit = settings.DOCUMENT_MAX_BYTES
        attachments = []
        for upload in uploads:
            name = upload.name or ""
            try:
                if not upload.size:
                    raise DocumentRefused(_("The file is empty."))
                if upload.size > limit:
                    raise DocumentRefused(
                        _("A document has at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
                    )
                kind = sniff(cast(IO[bytes], upload), name)
            except DocumentRefused as exc:
                raise forms.ValidationError(f"{name}: {exc}") from exc
            attachments.append(Attachment(upload, kind, clean_filename(name, kind)))
        return attachments

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        given = data.get("phone") or data.get("email")
        if not given and not self.errors.get("phone") and not self.errors.get("email"):
            raise forms.ValidationError(_("Give the client's phone or e-mail address."))
        return data

    def referral_data(self) -> ReferralData:
        d = self.cleaned_data
        return ReferralData(
            first_name=d["first_name"].strip(),
            last_name=d["last_name"].strip(),
            phone=d["phone"],
            email=d["email"],
            national_id=d["national_id"],
            id_card=d["id_card"],
            note=d["note"].strip(),
            broker_name=d["broker_name"].strip(),
            broker_email=d["broker_email"],
            broker_phone=d["broker_phone"],
            attachments=d["documents"],
        )
