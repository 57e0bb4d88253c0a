"""Forms of the expert pool and consultation pages: they parse input; the services decide
(an expert out of scope or suspended is refused by ``experts.consultation_record`` in words,
so the expert field takes any number rather than only the offered ones)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import Case, DisputeType
from tiaojie.mediators import experts
from tiaojie.mediators.choices import ExpertAction, OpinionFollowed, Profession
from tiaojie.mediators.rules import mediator_policy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OUTSIDE = [("", "—")] + [c for c in Profession.choices if c[0] != Profession.MEDIATOR]


class PoolForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=80, required=False)
    dispute_types = forms.MultipleChoiceField(
        label=_("Dispute types"), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["dispute_types"].choices = [  # type: ignore[attr-defined]
            (t.code, t.name) for t in DisputeType.objects.filter(valid_to__isnull=True)
        ]


class ExpertForm(forms.Form):
    """A registered mediator (choose one), or an outside expert (name, ID number…)."""

    mediator_id = forms.TypedChoiceField(
        label=_("Registered mediator"), coerce=int, required=False, empty_value=None
    )
    name = forms.CharField(label=_("Name (outside expert)"), max_length=60, required=False)
    profession = forms.ChoiceField(label=_("Profession"), choices=OUTSIDE, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    field = forms.CharField(label=_("Field of expertise"), max_length=80, required=False)
    title = forms.CharField(label=_("Professional title"), max_length=40, required=False)
    employer = forms.CharField(label=_("Employer"), max_length=120, required=False)
    since = forms.DateField(label=_("Member since"), widget=DATE, required=False)

    def __init__(self, *args: Any, user: User, **kw: Any) -> None:
        super().__init__(*args, **kw)
        roster = mediator_policy.visible(user, Capability.MEDIATOR_VIEW)
        self.fields["mediator_id"].choices = (  # type: ignore[attr-defined]
            [("", "—")]
            + [(m.pk, m.name) for m in roster.filter(status="active").order_by("name")[:500]]
        )

    def data_for_service(self) -> experts.ExpertData:
        d = self.cleaned_data
        return experts.ExpertData(
            field=d.get("field") or "",
            profession=d.get("profession") or "",
            mediator_id=d.get("mediator_id"),
            name=d.get("name") or "",
            employer=d.get("employer") or "",
            title=d.get("title") or "",
            id_number=d.get("id_number") or "",
            phone=d.get("phone") or "",
            since=d.get("since"),
        )


class ExpertStatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    action = forms.ChoiceField(label=_("Change"), choices=ExpertAction.choices)
    on = forms.DateField(label=_("With effect from"), widget=DATE, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ConsultationForm(forms.Form):
    expert_id = forms.IntegerField(label=_("Expert"), required=False, widget=forms.Select)
    asked_on = forms.DateField(label=_("Asked on"), widget=DATE, required=False)
    question = forms.CharField(
        label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    opinion = forms.CharField(
        label=_("Expert's opinion (if given)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE, required=False)
    followed = forms.ChoiceField(
        label=_("Opinion followed"), choices=OpinionFollowed.choices, required=False
    )

    def __init__(self, *args: Any, case: Case, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["expert_id"].widget.choices = [("", "—")] + [
            (e.pk, f"{e.name} · {e.get_profession_display()} · {e.field} ({e.pool.name})")
            for e in experts.experts_for_case(case)
        ]


class OpinionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    opinion = forms.CharField(
        label=_("Expert's opinion"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE, required=False)
    followed = forms.ChoiceField(
        label=_("Opinion followed"), choices=OpinionFollowed.choices, required=False
    )
