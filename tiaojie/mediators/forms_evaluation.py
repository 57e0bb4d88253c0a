"""Forms of evaluation, promotion and honours pages: they parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.mediators.choices import Criterion, HonourTitle, PromotionAction
from tiaojie.mediators.evaluation import COUNTED, Weight
from tiaojie.mediators.models import Grade

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WeightsForm(forms.Form):
    """One weight (per cent) per criterion, and the figure for full marks where counted."""

    def __init__(self, *args: Any, current: list[Weight] | None = None, **kwargs: Any) -> None:
        initial: dict[str, object] = {}
        for w in current or []:
            initial[w.criterion] = w.weight
            if w.target is not None:
                initial[f"{w.criterion}_target"] = w.target
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for value, label in Criterion.choices:
            self.fields[value] = forms.IntegerField(
                label=_("%(criterion)s weight (%%)") % {"criterion": label},
                required=False,
                min_value=0,
                max_value=100,
            )
            if value in COUNTED:
                self.fields[f"{value}_target"] = forms.DecimalField(
                    label=_("%(criterion)s for full marks") % {"criterion": label},
                    required=False,
                    max_digits=7,
                    decimal_places=1,
                )

    def weights(self) -> list[Weight]:
        d = self.cleaned_data
        rows = []
        for value in Criterion.values:
            target = d.get(f"{value}_target")
            rows.append(
                Weight(value, d.get(value) or 0, Decimal(target) if target is not None else None)
            )
        return rows


class EvaluationRunForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=80, required=False)
    starts_on = forms.DateField(label=_("From"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("Until"), widget=DATE, required=False)


class PromotionForm(forms.Form):
    to_grade = forms.ModelChoiceField(
        label=_("Proposed grade"), queryset=Grade.objects.none(), required=False
    )
    grounds = forms.CharField(
        label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, ladder: list[Grade], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_grade"].queryset = Grade.objects.filter(  # type: ignore[attr-defined]
            pk__in=[g.pk for g in ladder]
        )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=PromotionAction.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class HonourForm(forms.Form):
    title = forms.ChoiceField(label=_("Honour"), choices=HonourTitle.choices)
    name = forms.CharField(label=_("Name of the honour"), max_length=60, required=False)
    year = forms.IntegerField(label=_("Year"), required=False)
    awarded_by = forms.CharField(label=_("Awarded by"), max_length=80, required=False)


class CheckForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False)
    met = forms.MultipleChoiceField(
        label=_("Items met"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, items: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["met"].choices = [(i, i) for i in items]  # type: ignore[attr-defined]


class StarForm(CheckForm):
    stars = forms.IntegerField(label=_("Stars (1–5)"), required=False)
    grounds = forms.CharField(
        label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CommitteeSettingsForm(forms.Form):
    standard_items = forms.CharField(
        label=_("Standardisation checklist (one item a line)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    star_items = forms.CharField(
        label=_("Star-rating criteria (one a line)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    localities = forms.CharField(
        label=_("Villages and communities (“12-digit code name”, one a line)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
