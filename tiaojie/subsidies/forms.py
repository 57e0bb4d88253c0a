"""Forms of the subsidy pages: a version of the rules (ranges and amounts as a grid of
inputs), a sheet's month, and an approval step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.organisations.choices import CommitteeKind
from tiaojie.subsidies.choices import ArchiveRule, Dimension, Recipient, Tier
from tiaojie.subsidies.services.rulesets import Amount, Band, RuleSetData

# The kinds a bureau usually pays (the 2010 county example); the others stay empty unless set.
KINDS = [CommitteeKind.COMMUNITY, CommitteeKind.STREET, CommitteeKind.SECTORAL]


def band_field(dimension: str, tier: str, end: str) -> str:
    return f"band_{dimension}_{tier}_{end}"


def amount_field(kind: str, tier: str) -> str:
    return f"amount_{kind}_{tier}"


class RuleSetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    valid_from = forms.DateField(
        label=_("In force from"),
        help_text=_("The first day of a month."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    require_registered = forms.BooleanField(
        label=_("A registered (accepted) file is required"), required=False, initial=True
    )
    require_success = forms.BooleanField(
        label=_("Mediation must end in an agreement"), required=False, initial=True
    )
    require_performed = forms.BooleanField(
        label=_("The agreement must be performed"), required=False, initial=True
    )
    count_oral = forms.BooleanField(label=_("Oral agreements are subsidised"), required=False)
    carry_over = forms.BooleanField(
        label=_("A case performed or completed after its month was paid counts in a later month"),
        required=False,
        initial=True,
    )
    archive_rule = forms.ChoiceField(
        label=_("Archived (complete) file required for"),
        choices=ArchiveRule.choices,
        initial=ArchiveRule.MAJOR,
    )
    recipient = forms.ChoiceField(
        label=_("Who receives it"), choices=Recipient.choices, initial=Recipient.PRESIDING
    )
    complex_tier = forms.ChoiceField(
        label=_("Tier of a complex dispute"), choices=Tier.choices, initial=Tier.DIFFICULT
    )
    group_tier = forms.ChoiceField(
        label=_("Tier of a group dispute"), choices=Tier.choices, initial=Tier.MAJOR
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for dimension in Dimension:
            for tier in Tier:
                for end in ("lower", "upper"):
                    self.fields[band_field(dimension, tier, end)] = forms.DecimalField(
                        label=f"{dimension.label} · {tier.label} · "
                        + str(_("from") if end == "lower" else _("to under")),
                        required=False,
                        min_value=None,
                        max_digits=14,
                        decimal_places=2,
                    )
        for kind in KINDS:
            for tier in Tier:
                self.fields[amount_field(kind, tier)] = forms.DecimalField(
                    label=f"{kind.label} · {tier.label}",
                    required=False,
                    max_digits=10,
                    decimal_places=2,
                )

    def band_rows(self) -> list[tuple[str, list[tuple[str, Any, Any]]]]:
        """The grid for the template: per criterion, per tier the two inputs."""
        return [
            (
                str(d.label),
                [
                    (str(t.label), self[band_field(d, t, "lower")], self[band_field(d, t, "upper")])
                    for t in Tier
                ],
            )
            for d in Dimension
        ]

    def tier_labels(self) -> list[str]:
        return [str(t.label) for t in Tier]

    def amount_rows(self) -> list[tuple[str, list[Any]]]:
        return [(str(k.label), [self[amount_field(k, t)] for t in Tier]) for k in KINDS]

    def data_out(self) -> RuleSetData:
        c = self.cleaned_data
        bands = [
            Band(str(d), str(t), c[band_field(d, t, "lower")], c[band_field(d, t, "upper")])
            for d in Dimension
            for t in Tier
            if c.get(band_field(d, t, "lower")) is not None
        ]
        amounts = [
            Amount(str(k), str(t), c[amount_field(k, t)])
            for k in KINDS
            for t in Tier
            if c.get(amount_field(k, t)) is not None
        ]
        return RuleSetData(
            name=c["name"],
            valid_from=c["valid_from"],
            bands=bands,
            amounts=amounts,
            require_registered=c["require_registered"],
            require_success=c["require_success"],
            require_performed=c["require_performed"],
            count_oral=c["count_oral"],
            carry_over=c["carry_over"],
            archive_rule=c["archive_rule"],
            recipient=c["recipient"],
            complex_tier=c["complex_tier"],
            group_tier=c["group_tier"],
        )


def initial_rules(today: dt.date) -> dict[str, Any]:
    """The county example of domain.md §6 as a starting point the bureau edits."""
    first = today.replace(day=1)
    values: dict[str, Any] = {"valid_from": first, "name": f"{first.year}年以案定补标准"}
    limits = {
        Dimension.AMOUNT: (Decimal(0), Decimal(10000), Decimal(100000)),
        Dimension.PEOPLE: (Decimal(0), Decimal(5), Decimal(20)),
    }
    for dimension, (low, mid, high) in limits.items():
        for tier, lower, upper in (
            (Tier.GENERAL, low, mid),
            (Tier.DIFFICULT, mid, high),
            (Tier.MAJOR, high, None),
        ):
            values[band_field(dimension, tier, "lower")] = lower
            values[band_field(dimension, tier, "upper")] = upper
    for kind, amounts in (
        (CommitteeKind.COMMUNITY, (30, 80, 150)),
        (CommitteeKind.STREET, (50, 200, 400)),
    ):
        for tier, amount in zip(Tier, amounts, strict=True):
            values[amount_field(kind, tier)] = Decimal(amount)
    return values


class MonthForm(forms.Form):
    month = forms.CharField(label=_("Month"), widget=forms.TextInput(attrs={"type": "month"}))

    def clean_month(self) -> dt.date:
        raw = self.cleaned_data["month"]
        try:
            year, month = (int(part) for part in raw.split("-"))
            return dt.date(year, month, 1)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from exc


class ActionForm(forms.Form):
    action = forms.CharField(max_length=20)
    reason = forms.CharField(label=_("Comment"), required=False, max_length=1000)
    version = forms.IntegerField(required=False)
