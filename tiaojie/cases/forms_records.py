"""The small forms of a case's page that add to the case without moving it: records, mediators,
the extension, the agreement and its signatures, aftercare, files, parties and corrections."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaojie.cases import casefile
from tiaojie.cases.choices import (
    AgreementKind,
    ConfirmationOutcome,
    FollowUpMethod,
    PartyKind,
    Performance,
    Satisfaction,
)
from tiaojie.cases.forms import (
    LOOKUP_FIELDS,
    CaseForm,
    PartyForm,
    choice_field,
    label,
    residence_choices,
)
from tiaojie.cases.forms_moves import CaseActionForm
from tiaojie.cases.models import (
    Agreement,
    Attachment,
    FollowUp,
    InvestigationRecord,
    JudicialConfirmation,
    MediationSession,
    PerformanceRecord,
)
from tiaojie.cases.selectors import committee_mediators
from tiaojie.cases.services import agreements
from tiaojie.cases.workflow import current_agreement

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _when(lbl: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=lbl,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
    )


def _day(lbl: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=lbl,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate if required else None,
    )


def _text(lbl: Any, rows: int = 0, required: bool = True) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": str(rows)}) if rows else forms.TextInput()
    return forms.CharField(label=lbl, required=required, widget=widget)


class InvestigationForm(CaseActionForm):
    held_at = _when(label(InvestigationRecord, "held_at"))
    place = _text(label(InvestigationRecord, "place"))
    interviewee = _text(label(InvestigationRecord, "interviewee"))
    investigators = _text(label(InvestigationRecord, "investigators"))
    recorder = _text(label(InvestigationRecord, "recorder"))
    content = _text(label(InvestigationRecord, "content"), rows=6)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.user is not None:  # usually who writes it up
            self.fields["investigators"].initial = self.user.full_name
            self.fields["recorder"].initial = self.user.full_name


class SessionForm(CaseActionForm):
    held_at = _when(label(MediationSession, "held_at"))
    place = _text(label(MediationSession, "place"))
    parties_present = _text(label(MediationSession, "parties_present"))
    participants = forms.CharField(
        label=label(MediationSession, "participants"),
        required=False,
        help_text=MediationSession._meta.get_field("participants").help_text,
    )
    recorder = _text(label(MediationSession, "recorder"))
    content = _text(label(MediationSession, "content"), rows=8)
    rights_told = forms.BooleanField(
        label=label(MediationSession, "rights_told"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The parties' names are what the recorder writes in any case: offer them.
        names = "、".join(p.name for p in self.case.parties.all())
        self.fields["parties_present"].initial = names
        if self.user is not None:
            self.fields["recorder"].initial = self.user.full_name


class MediatorWithdrawForm(CaseActionForm):
    mediator = forms.TypedChoiceField(label=_("Mediator"), coerce=int)
    reason = _text(_("Reason"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "mediator").choices = [
            (m.mediator_id, m.mediator.full_name)
            for m in self.case.mediators.filter(withdrawn_at__isnull=True).select_related(
                "mediator"
            )
        ]


class MediatorAddForm(CaseActionForm):
    mediator = forms.TypedChoiceField(label=_("Mediator"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        serving = self.case.mediators.filter(withdrawn_at__isnull=True).values("mediator_id")
        choice_field(self, "mediator").choices = [
            (u.pk, u.full_name) for u in committee_mediators(self.case).exclude(pk__in=serving)
        ]


class ExtendForm(CaseActionForm):
    parties_consent = forms.BooleanField(
        label=_("Both parties consent to the extension"), required=False
    )
    until = _day(_("New deadline"))
    reason = _text(_("Reason"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.case.extended_to or self.case.due_on
        self.fields["until"].initial = current + dt.timedelta(days=30) if current else None


class AgreementForm(CaseActionForm):
    kind = forms.ChoiceField(
        label=label(Agreement, "kind"), choices=AgreementKind.choices, widget=forms.RadioSelect
    )
    facts = _text(label(Agreement, "facts"), rows=4)
    content = _text(label(Agreement, "content"), rows=5)
    performance_manner = _text(label(Agreement, "performance_manner"))
    performance_place = _text(label(Agreement, "performance_place"), required=False)
    performance_deadline = _day(label(Agreement, "performance_deadline"), required=False)
    formed_on = _day(label(Agreement, "formed_on"))
    field_order = ["kind", "formed_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = AgreementKind.WRITTEN


class SignForm(CaseActionForm):
    """The signatures of one sitting on the current written agreement: any of the parties who
    have not signed yet (a person with or without a fingerprint, an organisation under its
    seal), the mediator and the committee's seal, ticked together and recorded at once."""

    signed_on = _day(_("Signed on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = current_agreement(self.case)
        self.rows: list[dict[str, Any]] = []
        if self.agreement is None:
            return
        signed = set(self.agreement.signatures.values_list("party_id", flat=True))
        for party in self.case.parties.all():
            if party.pk in signed:
                continue
            person = party.kind == PartyKind.PERSON
            sign = forms.BooleanField(
                label=f"{party.name}（{party.get_role_display()}）",
                required=False,
                initial=True,
                # An organisation signs under its seal; a person's fingerprint is its own box.
                help_text="" if person else _("Signed and sealed"),
            )
            self.fields[f"party_{party.pk}"] = sign
            extras: list[str] = []
            row: dict[str, Any] = {"party": party, "sign": f"party_{party.pk}", "extras": extras}
            if person:
                self.fields[f"fingerprint_{party.pk}"] = forms.BooleanField(
                    label=_("Fingerprinted"), required=False, initial=True
                )
                extras.append(f"fingerprint_{party.pk}")
            if party.agent_name:
                self.fields[f"agent_{party.pk}"] = forms.BooleanField(
                    label=_("Signed by the agent %(name)s") % {"name": party.agent_name},
                    required=False,
                )
                extras.append(f"agent_{party.pk}")
            self.rows.append(row)
        if self.agreement.mediator_signed_on is None:
            self.fields["mediator"] = forms.BooleanField(
                label=_("The mediator signed"), required=False, initial=True
            )
        if self.agreement.sealed_on is None:
            self.fields["seal"] = forms.BooleanField(
                label=_("The committee's seal is applied"), required=False, initial=True
            )

    def rows_bound(self) -> list[dict[str, Any]]:
        """Each unsigned party's row with its bound fields, for the template."""
        return [
            {
                "party": row["party"],
                "sign": self[row["sign"]],
                "extras": [self[name] for name in row["extras"]],
            }
            for row in self.rows
        ]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("mediator", "seal") if name in self.fields]

    def missing(self) -> list[str]:
        return casefile.missing_signatures(self.agreement) if self.agreement else []

    def signatures(self) -> dict[str, Any]:
        """The service's keyword arguments: who signs at this sitting."""
        data = self.cleaned_data
        parties = [
            agreements.PartySignature(
                party=row["party"],
                fingerprinted=bool(data.get(f"fingerprint_{row['party'].pk}")),
                by_agent=bool(data.get(f"agent_{row['party'].pk}")),
            )
            for row in self.rows
            if data.get(row["sign"])
        ]
        return {
            "parties": parties,
            "mediator": bool(data.get("mediator")),
            "seal": bool(data.get("seal")),
        }


class PerformanceForm(CaseActionForm):
    status = forms.ChoiceField(
        label=label(PerformanceRecord, "status"),
        choices=[(v, lbl) for v, lbl in Performance.choices if v != Performance.PENDING],
        widget=forms.RadioSelect,
    )
    recorded_on = _day(label(PerformanceRecord, "recorded_on"))
    note = _text(label(PerformanceRecord, "note"), required=False)


class ConfirmationApplyForm(CaseActionForm):
    applied_on = _day(label(JudicialConfirmation, "applied_on"))
    court = _text(label(JudicialConfirmation, "court"))
    joint = forms.BooleanField(
        label=_("Both parties apply together (or one with the other's consent)"),
        required=False,
        initial=True,
    )


class ConfirmationDecideForm(CaseActionForm):
    outcome = forms.ChoiceField(
        label=label(JudicialConfirmation, "outcome"),
        choices=[
            (v, lbl) for v, lbl in ConfirmationOutcome.choices if v != ConfirmationOutcome.PENDING
        ],
        widget=forms.RadioSelect,
    )
    decided_on = _day(label(JudicialConfirmation, "decided_on"))
    ruling_number = _text(label(JudicialConfirmation, "ruling_number"))
    note = _text(label(JudicialConfirmation, "note"), required=False)


class FollowUpForm(CaseActionForm):
    visited_on = _day(label(FollowUp, "visited_on"))
    method = forms.ChoiceField(label=label(FollowUp, "method"), choices=FollowUpMethod.choices)
    party_visited = _text(label(FollowUp, "party_visited"))
    performance = forms.ChoiceField(
        label=label(FollowUp, "performance"), choices=Performance.choices
    )
    satisfaction = forms.ChoiceField(
        label=label(FollowUp, "satisfaction"), choices=Satisfaction.choices
    )
    escalation_risk = forms.BooleanField(label=label(FollowUp, "escalation_risk"), required=False)
    notes = _text(label(FollowUp, "notes"), rows=3, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["performance"].initial = self.case.performance


class AttachmentForm(CaseActionForm):
    multipart = True
    kind = forms.ChoiceField(label=label(Attachment, "kind"), choices=Attachment.Kind.choices)
    title = forms.CharField(
        label=label(Attachment, "title"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to use the file's name."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPG, PNG, DOCX, XLSX, MP3 or M4A."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.mp3,.m4a"}
        ),
    )


class PartyAddForm(PartyForm):
    """A party joining a registered case (the intake row, with the case version)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    multipart = False

    def __init__(
        self, data: Any = None, files: Any = None, *, case: Any, user: Any = None, **kwargs: Any
    ) -> None:
        self.case = case
        initial = {"version": case.version, **kwargs.pop("initial", {})}
        super().__init__(
            data,
            files,
            initial=initial,
            communities=residence_choices(case.committee),
            **kwargs,
        )
        for name in LOOKUP_FIELDS:  # no earlier-case hints on a case's page
            for attr in ("class", "hx-get", "hx-trigger", "hx-target", "hx-swap"):
                self.fields[name].widget.attrs.pop(attr, None)

    @property
    def case_version(self) -> int:
        return int(self.cleaned_data["version"])


class CaseEditForm(CaseForm):
    multipart = False

    def __init__(
        self, data: Any = None, files: Any = None, *, case: Any, user: Any = None, **kwargs: Any
    ) -> None:
        self.case = case
        initial = {**CaseForm.initial_from(case), **kwargs.pop("initial", {})}
        super().__init__(data, files, initial=initial, **kwargs)
        self.fields["version"].required = True

    @property
    def case_version(self) -> int:
        return int(self.cleaned_data["version"])
