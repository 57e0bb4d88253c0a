"""Forms of the intake page and of a case's edit form: they parse what the clerk typed into the
services' ``CaseData`` / ``PartyData``; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tiaojie.cases.choices import CaseSource, Gender, PartyKind, PartyRole
from tiaojie.cases.models import Case, DisputeType, Party
from tiaojie.cases.services.intake import CaseData, PartyData
from tiaojie.organisations.choices import CommitteeKind, OrganisationKind, OrganisationStatus
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.selectors import district_of

PARTY_PREFIX = "parties"
LOOKUP_FIELDS = ("id_number", "phone")
# A dispute is registered with an applicant and a respondent; more rows are added on demand.
DEFAULT_PARTY_ROLES = (PartyRole.APPLICANT, PartyRole.RESPONDENT)


def label(model: type[Model], name: str) -> Any:
    """The model field's verbose name as a form label, so page and model say the same."""
    return capfirst(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """``form.fields[name]``, typed, for setting its choices."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(name)
    return field


def _text(
    model: type[Model], name: str, *, rows: int = 0, **attrs: str | Promise
) -> forms.CharField:
    field = model._meta.get_field(name)
    widget: forms.Widget = (
        forms.Textarea(attrs={"rows": str(rows), **attrs}) if rows else forms.TextInput(attrs=attrs)
    )
    return forms.CharField(
        label=label(model, name),
        required=False,
        max_length=getattr(field, "max_length", None),
        widget=widget,
    )


class CaseForm(forms.Form):
    """The dispute itself. The dispute types offered are those valid today."""

    dispute_type = forms.ModelChoiceField(
        label=label(Case, "dispute_type"),
        queryset=DisputeType.objects.none(),
        empty_label=_("Choose…"),
    )
    source = forms.ChoiceField(
        label=label(Case, "source"), choices=CaseSource.choices, initial=CaseSource.APPLICATION
    )
    referral_body = _text(Case, "referral_body", placeholder=_("e.g. 东湖区人民法院"))
    referral_reference = _text(Case, "referral_reference")
    summary = forms.CharField(
        label=label(Case, "summary"),
        max_length=200,
        help_text=_("One sentence: who, against whom, about what."),
    )
    narrative = _text(Case, "narrative", rows=5)
    requests = _text(Case, "requests", rows=3, placeholder=_("1. …\n2. …"))
    amount = forms.DecimalField(
        label=label(Case, "amount"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    people_involved = forms.IntegerField(
        label=label(Case, "people_involved"), min_value=1, initial=2
    )
    is_complex = forms.BooleanField(label=label(Case, "is_complex"), required=False)
    is_group = forms.BooleanField(label=label(Case, "is_group"), required=False)
    is_public = forms.BooleanField(
        label=label(Case, "is_public"),
        required=False,
        help_text=Case._meta.get_field("is_public").help_text,
    )
    risk_notes = _text(Case, "risk_notes", rows=2)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["dispute_type"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = DisputeType.objects.valid_on(timezone.localdate())

    @classmethod
    def initial_from(cls, case: Case) -> dict[str, Any]:
        names = [n for n in cls.base_fields if n != "version"]
        return {**{n: getattr(case, n) for n in names}, "version": case.version}

    def to_data(self, parties: list[PartyData] | None = None) -> CaseData:
        d = self.cleaned_data
        return CaseData(
            dispute_type=d["dispute_type"],
            source=d["source"],
            summary=d["summary"],
            narrative=d["narrative"],
            requests=d["requests"],
            referral_body=d["referral_body"] if d["source"] != CaseSource.APPLICATION else "",
            referral_reference=d["referral_reference"],
            amount=d["amount"],
            people_involved=d["people_involved"],
            is_complex=d["is_complex"],
            is_group=d["is_group"],
            risk_notes=d["risk_notes"],
            is_public=d["is_public"],
            parties=parties or [],
        )


def residence_choices(place: Organisation) -> list[Any]:
    """The active community committees of ``place``'s district, grouped by the justice office
    (street) they belong to; a party living elsewhere is left blank."""
    communities = (
        Organisation.objects.subtree_of(district_of(place))
        .filter(
            kind=OrganisationKind.COMMITTEE,
            committee_kind=CommitteeKind.COMMUNITY,
            status=OrganisationStatus.ACTIVE,
        )
        .select_related("parent")
        .order_by("path")
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    for community in communities:
        street = community.parent.name if community.parent else ""
        groups.setdefault(street, []).append((community.pk, community.name))
    return [("", "—"), *groups.items()]


class PartyForm(forms.Form):
    """One party: a person or an organisation, with an agent if one acts for them."""

    role = forms.ChoiceField(
        label=label(Party, "role"), choices=PartyRole.choices, initial=PartyRole.RESPONDENT
    )
    kind = forms.ChoiceField(
        label=label(Party, "kind"), choices=PartyKind.choices, initial=PartyKind.PERSON
    )
    # Required on the rows that count; an added row left blank is dropped before that matters.
    name = forms.CharField(label=label(Party, "name"), max_length=120)
    gender = forms.ChoiceField(
        label=label(Party, "gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    ethnicity = _text(Party, "ethnicity", placeholder=_("e.g. 汉族"))
    id_number = forms.CharField(
        label=label(Party, "id_number"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Birth date and gender are read from it."),
    )
    phone = forms.CharField(
        label=label(Party, "phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label=label(Party, "address"), required=False, max_length=200)
    # The communities of the registering organisation's district, grouped by street (a city's
    # thousand communities would make one unusable list); set by ``place`` below.
    residence = forms.TypedChoiceField(
        label=_("Community"),
        coerce=int,
        empty_value=None,
        choices=[("", "—")],
        required=False,
        help_text=_("Where the party lives: routing asks whether the parties live apart."),
    )
    occupation = _text(Party, "occupation")
    credit_code = _text(Party, "credit_code", spellcheck="false")
    legal_representative = _text(Party, "legal_representative")
    agent_name = _text(Party, "agent_name")
    agent_phone = forms.CharField(
        label=label(Party, "agent_phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    agent_authority = _text(Party, "agent_authority")

    def __init__(self, *args: Any, communities: list[Any] | None = None, **kwargs: Any) -> None:
        """``communities``: the choices of ``residence_choices``, read once per page."""
        super().__init__(*args, **kwargs)
        if communities is not None:
            field = self.fields["residence"]
            field.choices = communities  # type: ignore[attr-defined]
        # Leaving an ID number or phone field looks the person up in earlier cases.
        for name in LOOKUP_FIELDS:
            self.fields[name].widget.attrs.update(
                {
                    "class": "party-lookup",
                    "hx-get": reverse("cases:party_lookup"),
                    "hx-trigger": "change",
                    "hx-target": "next .suggest",
                    "hx-swap": "innerHTML",
                }
            )

    def to_data(self) -> PartyData:
        d = self.cleaned_data
        return PartyData(
            role=d["role"],
            kind=d["kind"],
            name=d["name"],
            gender=d["gender"],
            ethnicity=d["ethnicity"],
            id_number=d["id_number"],
            phone=d["phone"],
            address=d["address"],
            occupation=d["occupation"],
            credit_code=d["credit_code"],
            legal_representative=d["legal_representative"],
            agent_name=d["agent_name"],
            agent_phone=d["agent_phone"],
            agent_authority=d["agent_authority"],
            residence_id=d.get("residence"),
        )


class BasePartyFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def _should_delete_form(self, form: forms.Form) -> bool:
        """A row the clerk removed from the page sends nothing: it is not a party."""
        if not self.is_bound:
            return False
        return not any(key.startswith(f"{form.prefix}-") for key in self.data)

    def shown(self) -> list[tuple[int, PartyForm]]:
        """The rows to show again, with their number."""
        return [
            (index, form)
            for index, form in enumerate(self.forms)
            if not self._should_delete_form(form)
        ]

    def parties(self) -> list[tuple[int, PartyData]]:
        """The rows to register, with their row number (for errors): added rows left blank are
        dropped; the first rows always count, so a missing name is reported on them."""
        return [
            (index, form.to_data())
            for index, form in self.shown()
            if form.has_changed() or index < self.initial_form_count()
        ]


PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=0, max_num=30, absolute_max=30, can_delete=True
)


def party_formset(data: Any = None, place: Organisation | None = None) -> BasePartyFormSet:
    formset = PartyFormSet(
        data,
        prefix=PARTY_PREFIX,
        initial=[{"role": role} for role in DEFAULT_PARTY_ROLES],
        # The communities are read once for every row, not once per row.
        form_kwargs={"communities": residence_choices(place) if place else None},
    )
    if not isinstance(formset, BasePartyFormSet):
        raise TypeError(type(formset))
    return formset


def party_form(
    index: int,
    data: Any = None,
    initial: dict[str, Any] | None = None,
    place: Organisation | None = None,
) -> PartyForm:
    """Row ``index`` of the formset, alone: the row added by the "add a party" button."""
    return PartyForm(
        data,
        prefix=f"{PARTY_PREFIX}-{index}",
        initial=initial,
        communities=residence_choices(place) if place else None,
    )
