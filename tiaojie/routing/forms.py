"""Forms of routing: they parse input into values for the services and decide nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaojie.cases.choices import CaseSource
from tiaojie.cases.models import DisputeType
from tiaojie.organisations.choices import OrganisationKind, Sector
from tiaojie.organisations.models import Organisation, OrganisationQuerySet
from tiaojie.routing.choices import Spread, Tier, TransferAction, TransferKind
from tiaojie.routing.models import RoutingRule
from tiaojie.routing.services.rules import RuleData

TRI_CHOICES = [("", _("Either")), ("yes", _("Yes")), ("no", _("No"))]


def _tri(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _tri_initial(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class CommitteeChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    priority = forms.IntegerField(
        label=_("Priority"), min_value=0, help_text=_("Lower numbers are tried first.")
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    dispute_types = forms.ModelMultipleChoiceField(
        label=_("Dispute types"),
        queryset=DisputeType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: any type."),
    )
    amount_min = forms.DecimalField(
        label=_("Amount at least (yuan)"), required=False, max_digits=14, decimal_places=2
    )
    amount_max = forms.DecimalField(
        label=_("Amount at most (yuan)"), required=False, max_digits=14, decimal_places=2
    )
    parties_min = forms.IntegerField(label=_("Parties at least"), required=False)
    parties_max = forms.IntegerField(label=_("Parties at most"), required=False)
    people_min = forms.IntegerField(label=_("People involved at least"), required=False)
    requires_group = forms.ChoiceField(
        label=_("Group dispute"), choices=TRI_CHOICES, required=False
    )
    requires_complex = forms.ChoiceField(
        label=_("Complex dispute"), choices=TRI_CHOICES, required=False
    )
    requires_risk = forms.ChoiceField(label=_("Risk noted"), choices=TRI_CHOICES, required=False)
    spread = forms.ChoiceField(label=_("Where the parties live"), choices=Spread.choices)
    tier = forms.ChoiceField(label=_("Route to"), choices=Tier.choices)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False
    )
    committee = CommitteeChoice(
        label=_("Committee"), queryset=Organisation.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, owner: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dispute_types"].queryset = DisputeType.objects.valid_on(timezone.localdate())  # type: ignore[attr-defined]
        self.fields["committee"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.subtree_of(owner).filter(kind=OrganisationKind.COMMITTEE).active()
        )

    @classmethod
    def initial_of(cls, rule: RoutingRule) -> dict[str, Any]:
        return {
            **{
                name: getattr(rule, name)
                for name in (
                    "name",
                    "priority",
                    "active",
                    "amount_min",
                    "amount_max",
                    "parties_min",
                    "parties_max",
                    "people_min",
                    "spread",
                    "tier",
                    "sector",
                    "committee",
                    "version",
                )
            },
            "dispute_types": list(rule.dispute_types.all()),
            "requires_group": _tri_initial(rule.requires_group),
            "requires_complex": _tri_initial(rule.requires_complex),
            "requires_risk": _tri_initial(rule.requires_risk),
        }

    def data_out(self) -> RuleData:
        c = self.cleaned_data
        return RuleData(
            name=c["name"],
            priority=c["priority"],
            tier=c["tier"],
            active=c["active"],
            dispute_types=list(c["dispute_types"]),
            amount_min=c["amount_min"],
            amount_max=c["amount_max"],
            parties_min=c["parties_min"],
            parties_max=c["parties_max"],
            people_min=c["people_min"],
            requires_group=_tri(c["requires_group"]),
            requires_complex=_tri(c["requires_complex"]),
            requires_risk=_tri(c["requires_risk"]),
            spread=c["spread"],
            sector=c["sector"] if c["tier"] == Tier.SECTOR else "",
            committee=c["committee"] if c["tier"] == Tier.COMMITTEE else None,
        )


class RouteElsewhereForm(forms.Form):
    """Route a queued dispute to another committee than the one suggested, saying why."""

    committee = CommitteeChoice(
        label=_("Committee"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose a committee"),
        help_text=_("The committees this centre routes to."),
    )
    reason = forms.CharField(
        label=_("Why elsewhere"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept with the case and shown to the receiving committee."),
    )

    def __init__(self, *args: Any, committees: OrganisationQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]


class CentreForm(forms.Form):
    is_centre = forms.BooleanField(label=_("Governance centre"), required=False)
    channels = forms.MultipleChoiceField(
        label=_("Channels that land in its queue"),
        choices=CaseSource.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class TransferForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TransferKind.choices)
    to_organisation = CommitteeChoice(
        label=pgettext_lazy("transfer", "To"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, committees: OrganisationQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = committees  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=TransferAction.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class JointForm(forms.Form):
    committee = CommitteeChoice(label=_("Committee"), queryset=Organisation.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, committees: OrganisationQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]


class ExpertiseForm(forms.Form):
    """One mediator's dispute types."""

    mediator = forms.IntegerField(widget=forms.HiddenInput)
    dispute_types = forms.ModelMultipleChoiceField(
        label=_("Good at"),
        queryset=DisputeType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dispute_types"].queryset = DisputeType.objects.valid_on(timezone.localdate())  # type: ignore[attr-defined]
