"""One filter definition for the case list: the page, the API and the exports all use it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaojie.cases import search
from tiaojie.cases.choices import CaseSource, CaseStatus
from tiaojie.cases.models import Case, DisputeType
from tiaojie.core.crypto import blind_index_candidates
from tiaojie.core.validators import (
    USCC,
    normalise_uscc,
    validate_id_number,
    validate_mobile_or_phone,
    validate_uscc,
)
from tiaojie.core.widgets import QuickSelect
from tiaojie.organisations.models import Organisation

YES_NO = [("", _("Any")), ("1", _("Yes")), ("0", _("No"))]


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=60,
        help_text=_("Words from the facts, a party's name or the case number, e.g. 漏水, 31号"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *CaseStatus.choices],
        widget=QuickSelect,
    )
    dispute_type = forms.ModelChoiceField(
        label=_("Dispute type"),
        required=False,
        queryset=DisputeType.objects.all(),
        empty_label=_("All"),
        widget=QuickSelect,
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", _("All")), *CaseSource.choices],
        widget=QuickSelect,
    )
    committee = forms.IntegerField(
        label=_("Committee (and below)"), required=False, widget=forms.HiddenInput
    )
    mediator = forms.IntegerField(label=_("Mediator"), required=False, widget=forms.HiddenInput)
    registered_from = forms.DateField(
        label=_("Registered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    registered_to = forms.DateField(
        label=_("Registered to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_complex = forms.ChoiceField(
        label=_("Complex"), required=False, choices=YES_NO, widget=QuickSelect
    )
    is_group = forms.ChoiceField(
        label=_("Group dispute"), required=False, choices=YES_NO, widget=QuickSelect
    )

    def clean_q(self) -> str:
        query = str(self.cleaned_data.get("q") or "").strip()
        why = search.problem(query)
        if why:
            raise forms.ValidationError(why, code="unsearchable")
        return query

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("registered_from"), data.get("registered_to")
        if start and end and start > end:
            self.add_error("registered_to", _("The end date is before the start date."))
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def apply_filters(
    qs: QuerySet[Case], data: dict[str, Any], within: str | None = None
) -> QuerySet[Case]:
    """Narrow ``qs`` (already scoped to the viewer) by the cleaned filter values. ``within``:
    the subtree that is the whole of the viewer's scope, if it is one
    (``case_policy.search_subtree``), which lets a search skip its committees that hold
    none of the words (ADR 0080)."""
    identifier = False
    if data.get("q"):
        condition = search.matches(data["q"], within=within)
        # A whole ID number, credit code or phone, however typed, also finds the cases of
        # the party who has it (exact match through the normalised value or blind index).
        if is_identifier(data["q"]):
            identifier = True
            condition = (
                q_for_party(data["q"]) if condition is None else condition | q_for_party(data["q"])
            )
        # ``clean_q`` refused a query with nothing to search; never fall back to every case.
        qs = qs.filter(condition) if condition is not None else qs.none()
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("dispute_type"):
        qs = qs.filter(dispute_type=data["dispute_type"])
    if data.get("source"):
        qs = qs.filter(source=data["source"])
    if data.get("committee"):
        org = Organisation.objects.filter(pk=data["committee"]).only("path").first()
        qs = qs.filter(committee_path__startswith=org.path) if org else qs.none()
    if data.get("mediator"):
        qs = qs.filter(
            mediators__mediator_id=data["mediator"], mediators__withdrawn_at__isnull=True
        )
    if data.get("registered_from"):
        qs = qs.filter(registered_at__gte=_day_start(data["registered_from"]))
    if data.get("registered_to"):
        qs = qs.filter(registered_at__lt=_day_start(data["registered_to"] + dt.timedelta(days=1)))
    for flag in ("is_complex", "is_group"):
        if data.get(flag) in ("0", "1"):
            qs = qs.filter(**{flag: data[flag] == "1"})
    return qs.distinct() if data.get("mediator") or identifier else qs


def filtered_cases(
    qs: QuerySet[Case], params: Any, within: str | None = None
) -> tuple[CaseFilterForm, QuerySet[Case]]:
    """Bind ``params`` (a QueryDict or dict) and apply it. Invalid values find nothing (the
    form carries the reason): a filter the user asked for is never silently left out."""
    form = CaseFilterForm(params or None)
    if form.is_bound:
        qs = apply_filters(qs, form.cleaned_data, within) if form.is_valid() else qs.none()
    return form, qs.select_related("committee", "dispute_type")


def is_identifier(value: str) -> bool:
    """Whether ``value`` is a whole valid ID number, credit code or phone number."""
    for validator in (validate_id_number, validate_uscc, validate_mobile_or_phone):
        try:
            validator(value)
        except ValidationError:
            continue
        return True
    return False


def q_for_party(value: str, prefix: str = "parties__") -> Q:
    """Cases with a party of this exact ID number or phone (blind-index lookup) or credit code
    (stored normalised); ``prefix=""`` gives the condition on parties themselves."""

    ids = blind_index_candidates(value, purpose="party.id_number")
    phones = blind_index_candidates(value, purpose="party.phone")
    condition = Q(**{f"{prefix}id_number_index__in": ids}) | Q(
        **{f"{prefix}phone_index__in": phones}
    )
    code = normalise_uscc(value)
    if USCC.match(code):
        condition |= Q(**{f"{prefix}credit_code": code})
    return condition
