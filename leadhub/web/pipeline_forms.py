"""One small form per pipeline action, built from the action's needs (states.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leadhub.enquiries.models import Place
from leadhub.enquiries.pipeline import ActionInput
from leadhub.enquiries.states import ACTIONS
from leadhub.orgs.models import Organisation, OrgUnit

INTERVALS = [
    ("", _("— or choose a date —")),
    ("1", _("tomorrow")),
    ("7", _("in one week")),
    ("14", _("in two weeks")),
    ("30", _("in one month")),
]
VALUES_BY_ACTION = {
    "appointment": ("configuration_number",),
    "agree_quote": ("configuration_number", "quote_number", "quote_amount"),
    "deliver_quote": ("configuration_number", "quote_number", "quote_amount"),
    "order": ("quote_number", "quote_amount", "order_number", "order_amount"),
}
VALUE_LABELS = {
    "configuration_number": _("Configuration number"),
    "quote_number": _("Quote number"),
    "quote_amount": _("Quote amount"),
    "order_number": _("Order number"),
    "order_amount": _("Order amount"),
}


class ActionForm(forms.Form):
    def __init__(self, *args: Any, action: str, organisation: Organisation, **kwargs: Any):
        kwargs["prefix"] = action  # several actions' forms share one page
        super().__init__(*args, **kwargs)
        self.action = ACTIONS[action]
        needs = self.action.needs
        if "at" in needs:
            self.fields["at"] = forms.DateTimeField(
                label=_("When"),
                required=False,
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
            )
            self.fields["in_days"] = forms.TypedChoiceField(
                label=_("Or"), choices=INTERVALS, coerce=int, empty_value=None, required=False
            )
        if "place" in needs:
            self.fields["place"] = forms.ChoiceField(label=_("Where"), choices=Place.choices)
            self.fields["showroom"] = forms.ModelChoiceField(
                label=_("Showroom"),
                queryset=OrgUnit.objects.filter(organisation=organisation),
                required=False,
            )
        if "reason" in needs:
            groups = organisation.close_reasons
            choices = [
                (
                    _("The prospect's reasons"),
                    [(f"prospect|{r}", r) for r in groups.get("prospect", [])],
                ),
                (_("Our reasons"), [(f"ours|{r}", r) for r in groups.get("ours", [])]),
            ]
            self.fields["reason"] = forms.ChoiceField(label=_("Reason"), choices=choices)
        for name in VALUES_BY_ACTION.get(action, ()):
            field: forms.Field = (
                forms.DecimalField(min_value=0, decimal_places=2, max_digits=12)
                if name.endswith("_amount")
                else forms.CharField(max_length=64)
            )
            field.required, field.label = False, VALUE_LABELS[name]
            self.fields[name] = field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "at" in self.fields and not data.get("at") and not data.get("in_days"):
            raise forms.ValidationError(_("Give a date and time, or choose an interval."))
        return data

    def to_input(self) -> ActionInput:
        d = self.cleaned_data
        at: datetime | None = d.get("at")
        if at is not None and timezone.is_naive(at):
            at = timezone.make_aware(at)
        group, _sep, reason = (d.get("reason") or "|").partition("|")
        values = {k: v for k, v in d.items() if k in VALUE_LABELS and v not in (None, "")}
        return ActionInput(
            at=at,
            in_days=d.get("in_days"),
            place=d.get("place", ""),
            showroom=d.get("showroom"),
            reason_group=group,
            reason=reason,
            values=values,
        )
