"""Forms of the association members page: they parse input; ``associations`` decides (a
committee outside the area, the same member twice, leaving before joining are refused there
in words, so the choice fields take any number rather than only the offered ones)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.mediators import associations
from tiaojie.mediators.choices import AssociationRole
from tiaojie.organisations.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommitteeJoinForm(forms.Form):
    prefix = "c"
    form = forms.CharField(widget=forms.HiddenInput, initial="committee")
    committee = forms.TypedChoiceField(label=_("Committee"), coerce=int, empty_value=None)
    joined = forms.DateField(label=_("Joined the association on"), widget=DATE, required=False)

    def __init__(self, *args: Any, association: Organisation, **kw: Any) -> None:
        super().__init__(*args, **kw)
        offered = associations.committees_for(association)[:500]
        self.fields["committee"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (c.pk, c.name) for c in offered
        ]
        # A number not offered (a committee of another district) reaches the service, which
        # says why in words.
        self.fields["committee"].valid_value = lambda value: True  # type: ignore[attr-defined]


class MediatorJoinForm(forms.Form):
    prefix = "m"
    form = forms.CharField(widget=forms.HiddenInput, initial="mediator")
    mediator = forms.TypedChoiceField(label=_("Mediator"), coerce=int, empty_value=None)
    role = forms.ChoiceField(
        label=_("Office in the association"),
        choices=AssociationRole.choices,
        initial=AssociationRole.MEMBER,
    )
    joined = forms.DateField(label=_("Joined the association on"), widget=DATE, required=False)

    def __init__(self, *args: Any, association: Organisation, **kw: Any) -> None:
        super().__init__(*args, **kw)
        offered = associations.mediators_for(association)[:500]
        self.fields["mediator"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (m.pk, m.name) for m in offered
        ]
        self.fields["mediator"].valid_value = lambda value: True  # type: ignore[attr-defined]


class MemberEndForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    left = forms.DateField(label=_("Left on"), widget=DATE, required=False)
