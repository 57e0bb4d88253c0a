"""Forms of the ledger, supervision and trace pages: they parse input; services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaojie.supervision import months
from tiaojie.supervision.choices import CloseOutReason, LedgerShow

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MonthField(forms.CharField):
    """A month as ``YYYY-MM`` (the browser's month picker), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        month = months.parse(text)
        if month is None:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return month


class LedgerFilterForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int, required=False)
    month = MonthField(label=_("Month"), required=False)
    show = forms.ChoiceField(
        label=_("Show"), choices=LedgerShow.choices, required=False, initial=LedgerShow.OPEN
    )
    dispute_type = forms.TypedChoiceField(label=_("Dispute type"), coerce=int, required=False)
    overdue = forms.BooleanField(label=_("Past the time limit only"), required=False)

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[int, str]],
        dispute_types: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]
        self.fields["dispute_type"].choices = [("", _("All")), *dispute_types]  # type: ignore[attr-defined]


class CloseOutForm(forms.Form):
    reason = forms.ChoiceField(label=_("Close-out reason"), choices=CloseOutReason.choices)
    closed_on = forms.DateField(label=_("Closed out on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why does the item go back on the ledger?"), max_length=200)


class CarryOverForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    month = MonthField(widget=forms.HiddenInput)


class FlagForm(forms.Form):
    deadline = forms.DateField(
        label=_("Supervision deadline"), widget=DATE, help_text=_("A working day in the future.")
    )
    instructions = forms.CharField(
        label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ExtendForm(forms.Form):
    deadline = forms.DateField(label=_("New deadline"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CloseForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EscalateForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "report": ReportForm,
    "extend": ExtendForm,
    "close": CloseForm,
    "escalate": EscalateForm,
}


class TraceReportForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int, required=False)
    mediator = forms.TypedChoiceField(label=_("Mediator"), coerce=int, required=False)
    start = forms.DateField(label=_("From"), widget=DATE, required=False)
    end = forms.DateField(label=_("To"), widget=DATE, required=False)

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[int, str]],
        mediators: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]
        self.fields["mediator"].choices = [("", _("All")), *mediators]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end lies before the start."))
        return data
