"""Forms of the deadline pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaojie.deadlines.models import AlertLevel, DeadlineKind, RuleUnit
from tiaojie.deadlines.queries import PAIRS


class CalendarYearForm(forms.Form):
    source = forms.CharField(
        label=_("Published in"),
        max_length=200,
        required=False,
        help_text=_("The notice the table comes from, e.g. its document number and date."),
    )
    lines = forms.CharField(
        label=_("Holidays and make-up working days"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "class": "mono", "spellcheck": "false"}),
        help_text=_(
            "One day a line: “2027-01-01 holiday 元旦” or “2027-02-07 workday 春节调休上班”. "
            "List every day off of a holiday, weekends included; a make-up working day must be a "
            "Saturday or Sunday."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DeadlineRuleForm(forms.Form):
    value = forms.IntegerField(label=_("Length"), min_value=-1000, max_value=100000)
    unit = forms.ChoiceField(label=_("Unit"), choices=RuleUnit.choices)
    near_due_days = forms.IntegerField(
        label=_("Near due (working days before)"), min_value=-1000, max_value=100000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


KIND_CHOICES = [("", _("All deadlines")), *[(k, DeadlineKind(k).label) for k in dict(PAIRS)]]
LEVEL_CHOICES = [("", _("Near due and overdue")), *AlertLevel.choices]


class DeadlineFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("what is due", "Time limit"), choices=KIND_CHOICES, required=False
    )
    level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES, required=False)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, *args: object, organisations: list[tuple[int, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].choices = [("", _("All")), *organisations]  # type: ignore[attr-defined]
