"""Forms of the enquiry pages: small, one per action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leadhub.enquiries.models import ProjectType
from leadhub.orgs.models import User


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you reject it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("A reason is required to reject an offer.")},
    )


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: object) -> str:
        return obj.display_name() if isinstance(obj, User) else str(obj)


WEEKDAY_CHOICES = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]


class AbsenceForm(forms.Form):
    starts_on = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        required=False, label=_("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    weekdays = forms.MultipleChoiceField(
        choices=WEEKDAY_CHOICES,
        required=False,
        label=_("Every"),
        widget=forms.CheckboxSelectMultiple,
    )
    substitute = UserChoiceField(
        queryset=User.objects.none(), required=False, label=_("Substitute")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["substitute"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(
            organisation=user.organisation, is_active=True
        ).exclude(pk=user.pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("starts_on") or data.get("ends_on") or data.get("weekdays")):
            raise forms.ValidationError(_("Give a date range, weekdays, or both."))
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data


class ProjectForm(forms.Form):
    """C8: project data of an enquiry; the site address when it differs from the contact's."""

    project_name = forms.CharField(label=_("Project"), max_length=200, required=False)
    project_type = forms.ChoiceField(
        label=_("Project type"), choices=[("", "—"), *ProjectType.choices], required=False
    )
    site_street = forms.CharField(label=_("Site street"), max_length=200, required=False)
    site_postal_code = forms.CharField(label=_("Site postal code"), max_length=16, required=False)
    site_city = forms.CharField(label=_("Site city"), max_length=100, required=False)
    site_province = forms.CharField(label=_("Site province"), max_length=40, required=False)
    site_country = forms.CharField(label=_("Site country"), max_length=2, required=False)
