"""The public side's forms: small, one purpose each, labelled for a phone screen."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.cases.choices import PartyKind
from tiaojie.cases.models import DisputeType
from tiaojie.public.choices import Answer, Weekday


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class CodeForm(PhoneForm):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget = forms.HiddenInput()


class RealNameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    id_number = forms.CharField(
        label=_("ID number"), max_length=24, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class TypeForm(forms.Form):
    dispute_type = forms.ModelChoiceField(
        label=_("What kind of dispute is it?"),
        queryset=DisputeType.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args: Any, types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dispute_type"].queryset = types  # type: ignore[attr-defined]


class DetailsForm(forms.Form):
    summary = forms.CharField(
        label=_("The dispute in one sentence"),
        max_length=200,
        help_text=_("e.g. The upstairs neighbour's leak damaged my ceiling."),
    )
    requests = forms.CharField(
        label=_("What you ask for"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    amount = forms.CharField(label=_("Amount in dispute (yuan), if any"), required=False)
    respondent_kind = forms.ChoiceField(
        label=_("The other side is"), choices=PartyKind.choices, initial=PartyKind.PERSON
    )
    respondent_name = forms.CharField(label=_("Name of the other side"), max_length=120)
    respondent_phone = forms.CharField(
        label=_("Mobile number of the other side"),
        max_length=20,
        required=False,
        help_text=_("We text them a link to answer. Leave empty if you do not know it."),
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    committee = forms.ChoiceField(
        label=_("Where to apply"),
        required=False,
        help_text=_(
            "Where a governance centre receives the online applications for that committee, "
            "it reads your choice and sends your application on, normally to the committee "
            "you chose."
        ),
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].choices = places  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    value = forms.CharField(label=_("Your answer"), max_length=2000, required=False)


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProxyForm(forms.Form):
    agrees = forms.ChoiceField(label=_("Agrees to mediation"), choices=Answer.choices)
    proposed_time = forms.CharField(label=_("A time that suits"), max_length=100, required=False)
    statement = forms.CharField(
        label=_("Their side"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


WEEKDAY_CHOICES = Weekday.choices


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    minutes = forms.IntegerField(label=_("Minutes"), initial=60, min_value=15, max_value=240)


class HoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAY_CHOICES, coerce=int)
    opens = forms.TimeField(label=_("Opens"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label=_("Closes"), widget=forms.TimeInput(attrs={"type": "time"}))


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the mediation service?"),
        choices=[(5, "★★★★★"), (4, "★★★★"), (3, "★★★"), (2, "★★"), (1, "★")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_complaint = forms.BooleanField(label=_("This is a complaint"), required=False)


class SignForm(forms.Form):
    """The drawn signature (a PNG data URL the page's script fills from the canvas) and the
    code texted for signing."""

    signature = forms.CharField(
        max_length=420_000, widget=forms.HiddenInput(attrs={"data-signature": "1"})
    )
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )


class VerifyForm(forms.Form):
    """A signed PDF to check, or its SHA-256 pasted."""

    document = forms.FileField(label=_("The signed PDF"), required=False)
    sha256 = forms.CharField(
        label=_("Or its SHA-256"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
