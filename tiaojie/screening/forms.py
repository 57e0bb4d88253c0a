"""Forms of the screening pages: they parse input; the services decide (and word the errors,
so a finding without a place is refused by the service with the place field named)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import User
from tiaojie.cases.models import DisputeType
from tiaojie.organisations.choices import OrganisationKind, OrganisationStatus
from tiaojie.organisations.models import Organisation
from tiaojie.screening.choices import EscalationKind, Frequency, Level, RiskLevel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FindingForm(forms.Form):
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    people = forms.CharField(label=_("People"), max_length=200, required=False)
    what = forms.CharField(
        label=_("What"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    risk = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, required=False)
    # A fresh key with every form shown, kept when the form comes back with errors: the same
    # report sent twice is recorded once.
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)


class ReportForm(VersionForm):
    nil = forms.BooleanField(label=_("Nil report: we screened and found nothing"), required=False)


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} · {obj.organisation.name}"


class AssignForm(forms.Form):
    assignee = PersonChoice(label=_("Assigned to"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = User.objects.filter(pk__in=[u.pk for u in people]).order_by(
                "organisation__path", "full_name"
            )


class ToCaseForm(VersionForm):
    dispute_type = forms.ModelChoiceField(
        label=_("Dispute type"), queryset=DisputeType.objects.none(), required=False
    )
    summary = forms.CharField(label=_("Brief description"), max_length=200, required=False)
    applicant = forms.CharField(label=_("Applicant"), max_length=100, required=False)
    respondent = forms.CharField(label=_("Respondent"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["dispute_type"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = DisputeType.objects.valid_on(timezone.localdate())


class CloseForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class EscalationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Prevented"), choices=EscalationKind.choices, required=False)
    people = forms.IntegerField(label=_("People involved"), min_value=0, required=False)
    recorded_on = forms.DateField(label=_("Date"), widget=DATE, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ScheduleForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    starts_on = forms.DateField(label=_("From"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("Until"), widget=DATE, required=False)


class TargetForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    target = forms.IntegerField(label=_("Target"), required=False)

    def __init__(self, *args: Any, owner_path: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = Organisation.objects.filter(
                path__startswith=owner_path,
                kind__in=[OrganisationKind.COMMITTEE, OrganisationKind.JUSTICE_OFFICE],
                status=OrganisationStatus.ACTIVE,
            ).order_by("path")


class CountForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE, required=False)
    screened = forms.IntegerField(label=_("Disputes screened"), required=False)
    resolved = forms.IntegerField(label=_("Disputes resolved"), required=False)
