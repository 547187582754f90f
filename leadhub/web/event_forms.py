"""The event form (A9): brand admins create and change events."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leadhub.events.actions import Organiser
from leadhub.orgs.models import Organisation, OrgKind, OrgUnit, User


def organiser_choices(brand: Organisation) -> list[tuple[str, Any]]:
    users = User.objects.filter(organisation=brand, is_active=True).order_by("username")
    units = OrgUnit.objects.filter(organisation=brand)
    partners = Organisation.objects.filter(kind=OrgKind.PARTNER, brands=brand)
    return [
        (str(_("Users")), [(f"user:{u.pk}", u.display_name()) for u in users]),
        (str(_("Units")), [(f"unit:{u.pk}", u.name) for u in units]),
        (str(_("Partners")), [(f"partner:{p.pk}", p.name) for p in partners]),
    ]


def organiser_value(event: Any) -> str:
    if event.organiser_user_id:
        return f"user:{event.organiser_user_id}"
    if event.organiser_unit_id:
        return f"unit:{event.organiser_unit_id}"
    return f"partner:{event.organiser_partner_id}"


class EventForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"), max_length=64, help_text=_("What the landing page sends as “event”.")
    )
    title = forms.CharField(label=pgettext_lazy("event", "Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    organiser = forms.ChoiceField(label=_("Organiser"))
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, required=False, help_text=_("Empty: no limit.")
    )

    def __init__(self, *args: Any, brand: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.brand = brand
        field = self.fields["organiser"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = organiser_choices(brand)

    def chosen_organiser(self) -> Organiser:
        kind, _sep, pk = self.cleaned_data["organiser"].partition(":")
        if kind == "user":
            return Organiser(user=User.objects.get(pk=pk, organisation=self.brand))
        if kind == "unit":
            return Organiser(unit=OrgUnit.objects.get(pk=pk, organisation=self.brand))
        return Organiser(partner=Organisation.objects.get(pk=pk, kind=OrgKind.PARTNER))
