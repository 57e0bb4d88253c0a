"""Organisation forms. They parse input into ``OrganisationData``; the services validate rules."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.core.errors import ValidationFailed
from tiaojie.core.imports import MAX_FILE_BYTES, check_upload
from tiaojie.organisations.choices import (
    CommitteeKind,
    OrganisationKind,
    OrganisationStatus,
    Sector,
    Station,
)
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.validation import OrganisationData

BLANK: list[tuple[str, Any]] = [("", "—")]


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=40,
        required=False,
        help_text=_("Used in case numbers, e.g. 东湖社区."),
    )
    committee_kind = forms.ChoiceField(
        label=_("Committee kind"), choices=BLANK + CommitteeKind.choices, required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=BLANK + Sector.choices, required=False)
    station = forms.ChoiceField(
        label=_("Stationed at"), choices=BLANK + Station.choices, required=False
    )
    division_code = forms.CharField(
        label=_("Division code"),
        max_length=12,
        required=False,
        help_text=_("GB/T 2260: 6 digits, or 9/12 with the township/village extension."),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Office phone"), max_length=40, required=False)
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False
    )
    established_on = forms.DateField(
        label=_("Established on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    brand_name = forms.CharField(
        label=_("Brand room / personal studio"), max_length=80, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, fixed_kind: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_kind is not None:
            self.fields["kind"].disabled = True
            self.fields["kind"].initial = fixed_kind

    def to_data(self) -> OrganisationData:
        values = {
            f.name: self.cleaned_data.get(f.name) for f in dataclasses.fields(OrganisationData)
        }
        for key, value in values.items():
            if value is None and key not in {"longitude", "latitude", "established_on"}:
                values[key] = ""
        return OrganisationData(**values)  # type: ignore[arg-type]

    @staticmethod
    def initial_from(org: Organisation) -> dict[str, Any]:
        initial = {f.name: getattr(org, f.name) for f in dataclasses.fields(OrganisationData)}
        initial["version"] = org.version
        return initial


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=OrganisationStatus.choices)
    status_changed_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    merged_into = forms.ModelChoiceField(
        label=_("Merged into"), queryset=Organisation.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = organisations  # type: ignore[attr-defined]


class TreeSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganisationKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *OrganisationStatus.choices],
    )


class AnchorChoiceField(forms.ModelChoiceField[Organisation]):
    """Organisations indented by depth, so a long list still reads as a tree."""

    def __init__(self, *args: Any, base_depth: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_depth = base_depth

    def label_from_instance(self, obj: Organisation) -> str:
        return "\u3000" * max(obj.depth - self.base_depth, 0) + obj.name


class TreeImportForm(forms.Form):
    anchor = AnchorChoiceField(
        label=_("Import under"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("Rows with a blank 上级编号 are placed directly under this organisation."),
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, anchors: Any, base_depth: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: AnchorChoiceField = self.fields["anchor"]  # type: ignore[assignment]
        field.queryset = anchors
        field.base_depth = base_depth
        self.fields["file"].help_text = _(
            "An .xlsx or .csv file of at most %(size)s MB, laid out like the template."
        ) % {"size": MAX_FILE_BYTES // (1024 * 1024)}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload.name or "", upload.size)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload


class MoveForm(forms.Form):
    """Where an organisation moves (迁移): the new parent and why.

    The list offers only places of the right kind that the user manages, grouped under their
    own parent so two 东湖街道 read apart. Any unit the user manages is accepted back, though,
    so a hand-made request for a wrong place gets the move's own reason (under itself, wrong
    kind) rather than a bare "not a valid choice"."""

    parent = forms.CharField(label=_("New parent"), widget=forms.Select)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit trail, e.g. 行政区划调整."),
        error_messages={"required": _("Say why the organisation moves.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, offered: Any, managed: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.managed = managed
        groups: dict[str, list[tuple[str, str]]] = {}
        for org in offered.select_related("parent").order_by("path"):
            group = org.parent.name if org.parent is not None else str(_("Top level"))
            groups.setdefault(group, []).append((str(org.pk), f"{org.name}（{org.kind_label}）"))
        self.fields["parent"].widget.choices = [*BLANK, *groups.items()]

    def clean_parent(self) -> Organisation:
        value = self.cleaned_data["parent"]
        found = self.managed.filter(pk=int(value)).first() if value.isdigit() else None
        if found is None:
            raise forms.ValidationError(_("Choose an organisation you manage."))
        return found  # type: ignore[no-any-return]
