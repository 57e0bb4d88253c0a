"""Forms of the registry's pages: they parse input; the services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import User
from tiaojie.cases.models import DisputeType
from tiaojie.mediators import selectors
from tiaojie.mediators.choices import (
    CourseKind,
    CourseMode,
    Education,
    Employment,
    MediatorAction,
    MediatorStatus,
    MembershipRole,
    PoliticalStatus,
    Source,
)
from tiaojie.mediators.models import Grade, Mediator
from tiaojie.mediators.services import MediatorData
from tiaojie.organisations.choices import CommitteeKind
from tiaojie.organisations.models import Organisation

if TYPE_CHECKING:
    from django.db.models import QuerySet

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANY = [("", _("Any"))]


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class MediatorForm(forms.Form):
    """Register or edit a mediator. Creating also asks the committee and role."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    committee = forms.ModelChoiceField(
        label=_("Committee"), queryset=Organisation.objects.none(), required=False
    )
    role = forms.ChoiceField(
        label=_("Role in the committee"),
        choices=MembershipRole.choices,
        initial=MembershipRole.MEMBER,
        required=False,
    )
    name = forms.CharField(label=_("Name"), max_length=60, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=30, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    employment = forms.ChoiceField(
        label=_("Employment"), choices=_blank(Employment.choices), required=False
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=Source.choices, initial=Source.OTHER, required=False
    )
    education = forms.ChoiceField(
        label=_("Education"), choices=_blank(Education.choices), required=False
    )
    political_status = forms.ChoiceField(
        label=_("Political status"), choices=_blank(PoliticalStatus.choices), required=False
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=40, required=False
    )
    certified = forms.BooleanField(label=_("Certified (持证上岗)"), required=False)
    grade = forms.ModelChoiceField(label=_("Grade"), queryset=Grade.objects.none(), required=False)
    expertise = forms.ModelMultipleChoiceField(
        label=_("Expertise"),
        queryset=DisputeType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE, required=False)
    user = forms.ModelChoiceField(
        label=_("Account (if the mediator signs in)"),
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, user: User, mediator: Mediator | None = None, **kw: Any):
        super().__init__(*args, **kw)
        committees = selectors.committees_in_scope(user)
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
        if mediator is not None:
            del self.fields["committee"]
            del self.fields["role"]
        self.fields["grade"].queryset = selectors.grades_visible(user)  # type: ignore[attr-defined]
        self.fields["expertise"].queryset = DisputeType.objects.filter(  # type: ignore[attr-defined]
            valid_to__isnull=True
        ).order_by("sort_order")
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            organisation__path__startswith=user.organisation.path, is_active=True
        ).order_by("full_name")

    def data_object(self) -> MediatorData:
        d = self.cleaned_data
        grade: Grade | None = d.get("grade")
        account: User | None = d.get("user")
        return MediatorData(
            name=d.get("name") or "",
            id_number=d.get("id_number") or "",
            employment=d.get("employment") or "",
            phone=d.get("phone") or "",
            address=d.get("address") or "",
            source=d.get("source") or Source.OTHER,
            education=d.get("education") or "",
            political_status=d.get("political_status") or "",
            certificate_number=d.get("certificate_number") or "",
            certified=bool(d.get("certified")),
            grade_id=grade.pk if grade is not None else None,
            expertise=list(d.get("expertise") or []),
            joined_on=d.get("joined_on"),
            user_id=account.pk if account is not None else None,
        )


def initial_for(mediator: Mediator) -> dict[str, Any]:
    return {
        "version": mediator.version,
        "name": mediator.name,
        "id_number": mediator.id_number,
        "phone": mediator.phone,
        "address": mediator.address,
        "employment": mediator.employment,
        "source": mediator.source,
        "education": mediator.education,
        "political_status": mediator.political_status,
        "certificate_number": mediator.certificate_number,
        "certified": mediator.certified,
        "grade": mediator.grade_id,
        "expertise": list(mediator.expertise.all()),
        "joined_on": mediator.joined_on,
        "user": mediator.user_id,
    }


class RosterFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, certificate or ID number"), required=False, max_length=60)
    committee = forms.ModelChoiceField(
        label=_("Committee"), queryset=Organisation.objects.none(), required=False
    )
    employment = forms.ChoiceField(
        label=_("Employment"), choices=ANY + Employment.choices, required=False
    )
    source = forms.ChoiceField(label=_("Source"), choices=ANY + Source.choices, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=ANY + MediatorStatus.choices, required=False
    )
    grade = forms.ModelChoiceField(label=_("Grade"), queryset=Grade.objects.none(), required=False)
    certified = forms.ChoiceField(
        label=_("Certified (持证上岗)"),
        choices=[("", _("Any")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kw: Any) -> None:
        super().__init__(*args, **kw)
        committees: QuerySet[Any] = selectors.committees_in_scope(user)
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
        self.fields["grade"].queryset = selectors.grades_visible(user)  # type: ignore[attr-defined]

    def filters(self) -> selectors.RosterFilters:
        if not self.is_valid():
            return selectors.RosterFilters()
        d = self.cleaned_data
        certified = {"yes": True, "no": False}.get(d.get("certified") or "")
        return selectors.RosterFilters(
            q=d.get("q") or "",
            committee_id=d["committee"].pk if d.get("committee") else None,
            employment=d.get("employment") or "",
            source=d.get("source") or "",
            status=d.get("status") or "",
            grade_id=d["grade"].pk if d.get("grade") else None,
            certified=certified,
        )


class MembershipForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)
    since = forms.DateField(label=_("Since"), widget=DATE, required=False)

    def __init__(self, *args: Any, user: User, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["committee"].queryset = selectors.committees_in_scope(user)  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    action = forms.ChoiceField(label=_("Change"), choices=MediatorAction.choices)
    on = forms.DateField(label=_("With effect from"), widget=DATE, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class LadderForm(forms.Form):
    grades = forms.CharField(
        label=_("Grades, lowest first, one a line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=1000,
    )

    def names(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("grades") or "").splitlines()]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Roster file (.xlsx or .csv)"))


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank(CourseKind.choices), required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=_blank(CourseMode.choices), required=False)
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE, required=False)
    teachers = forms.CharField(label=_("Teachers"), max_length=200, required=False)


class AttendanceForm(forms.Form):
    mediators = forms.ModelMultipleChoiceField(
        label=_("Who attended"),
        queryset=Mediator.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    hours = forms.DecimalField(
        label=_("Hours (blank: the course's)"), max_digits=5, decimal_places=1, required=False
    )

    def __init__(self, *args: Any, user: User, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["mediators"].queryset = selectors.roster(  # type: ignore[attr-defined]
            user, selectors.RosterFilters(status=MediatorStatus.ACTIVE)
        )


class TrainingRuleForm(forms.Form):
    period_months = forms.IntegerField(label=_("Every mediator trained within (months)"))
    new_mediator_days = forms.IntegerField(
        label=_("A new mediator trained within (days of joining)")
    )


class NormForm(forms.Form):
    committee_kind = forms.ChoiceField(
        label=_("Committee kind"),
        choices=[("", _("Every kind")), *CommitteeKind.choices],
        required=False,
    )
    min_full_time = forms.IntegerField(label=_("At least full-time"), min_value=0, initial=0)
    min_total = forms.IntegerField(label=_("At least in all"), min_value=0, initial=0)


class PolicyForm(forms.Form):
    insurer = forms.CharField(label=_("Insurer"), max_length=80, required=False)
    number = forms.CharField(label=_("Policy number"), max_length=60, required=False)
    cover = forms.DecimalField(
        label=_("Cover (元)"), max_digits=12, decimal_places=2, required=False
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE, required=False)
