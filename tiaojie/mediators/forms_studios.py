"""Forms of the studios registry: they parse input; ``studios`` decides (a personal studio
without its mediator, a mediator not serving in the committee, a name already open, closing
before opening are refused there in words, so the choice fields take any number)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaojie.accounts.models import User
from tiaojie.mediators import selectors
from tiaojie.mediators.choices import MediatorStatus, StudioKind
from tiaojie.mediators.models import Mediator, Membership

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _any_number(field: forms.Field) -> None:
    # A number not offered reaches the service, which says why in words.
    field.valid_value = lambda value: True  # type: ignore[attr-defined]


class StudioForm(forms.Form):
    committee = forms.TypedChoiceField(label=_("Committee"), coerce=int, empty_value=None)
    name = forms.CharField(label=pgettext_lazy("studio", "Name"), max_length=80, required=False)
    kind = forms.ChoiceField(label=_("Kind of studio"), choices=StudioKind.choices)
    mediator = forms.TypedChoiceField(
        label=_("Lead mediator"), coerce=int, empty_value=None, required=False
    )
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    hours = forms.CharField(label=_("Opening hours"), max_length=120, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, fixed_committee: bool = False, **kw: Any) -> None:
        super().__init__(*args, **kw)
        committees = list(selectors.committees_in_scope(user)[:500])
        committee_field = self.fields["committee"]
        committee_field.choices = [("", "—")] + [  # type: ignore[attr-defined]
            (c.pk, c.name) for c in committees
        ]
        _any_number(committee_field)
        if fixed_committee:
            # A studio stays with its committee: editing does not move it.
            del self.fields["committee"]
        serving = Membership.objects.filter(
            committee__in=[c.pk for c in committees], until__isnull=True
        ).values("mediator_id")
        offered = (
            Mediator.objects.filter(pk__in=serving)
            .exclude(status=MediatorStatus.LEFT)
            .order_by("name", "id")[:500]
        )
        mediator_field = self.fields["mediator"]
        mediator_field.choices = [("", "—")] + [  # type: ignore[attr-defined]
            (m.pk, m.name) for m in offered
        ]
        _any_number(mediator_field)


class StudioCloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    closed_on = forms.DateField(
        label=pgettext_lazy("studio", "Closed on"), widget=DATE, required=False
    )
