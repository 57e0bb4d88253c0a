"""The small forms of a case's page: one per workflow move, each with the fields the move needs.

Every form carries the case ``version`` the user read, so a stale one is refused by the service
and shown again with what was typed. Forms parse; ``workflow.transition`` decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaojie.cases.choices import DeclineReason, EndReason
from tiaojie.cases.forms import choice_field, label
from tiaojie.cases.models import Case
from tiaojie.cases.selectors import committee_mediators
from tiaojie.cases.workflow import MOVES, Action
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.selectors import committees_in_district

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


class CaseActionForm(forms.Form):
    """Base of every action form: bound to one case, carrying the version read."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    multipart = False

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        case: Case,
        user: User | None = None,
        **kwargs: Any,
    ) -> None:
        self.case = case
        self.user = user
        initial = {"version": case.version, **kwargs.pop("initial", {})}
        super().__init__(data, files, initial=initial, **kwargs)

    @property
    def case_version(self) -> int:
        """The version of the case the user read."""
        return int(self.cleaned_data["version"])


class MoveForm(CaseActionForm):
    """A workflow move: its reason (required where the move's table entry says so) and data."""

    action: Action
    reason = forms.CharField(
        label=_("Reason or note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = MOVES[self.action].needs_reason

    def move_data(self) -> dict[str, Any]:
        return {}


class AcceptForm(MoveForm):
    action = Action.ACCEPT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Accepting needs no reason: a note for the file, if any.
        self.fields["reason"].label = _("Note on the acceptance")
        self.fields["reason"].help_text = _("Optional.")


class RouteForm(MoveForm):
    """Route a queued dispute by hand from its page (the queue page suggests by rule)."""

    action = Action.ROUTE
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Organisation.objects.none())
    field_order = ["committee", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["committee"])  # type: ignore[type-arg]
        field.queryset = committees_in_district(self.case.committee)

    def move_data(self) -> dict[str, Any]:
        return {"committee_id": self.cleaned_data["committee"].pk, "overridden": True}


class ReturnForm(MoveForm):
    action = Action.RETURN

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Why it is not for this committee")


class DeclineForm(MoveForm):
    action = Action.DECLINE
    decline_reason = forms.ChoiceField(
        label=label(Case, "decline_reason"), choices=[("", "—"), *DeclineReason.choices]
    )
    field_order = ["decline_reason", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Explanation")

    def move_data(self) -> dict[str, Any]:
        return {"decline_reason": self.cleaned_data["decline_reason"]}


class StartMediationForm(MoveForm):
    action = Action.START_MEDIATION
    mediator_ids = forms.TypedMultipleChoiceField(
        label=_("Mediators"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    presiding_id = forms.TypedChoiceField(
        label=_("Presiding mediator"), coerce=int, required=False, empty_value=None
    )
    chosen_by_parties = forms.BooleanField(label=_("Chosen by the parties"), required=False)
    field_order = ["mediator_ids", "presiding_id", "chosen_by_parties", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [
            (u.pk, f"{u.full_name}（{u.role_label}）") for u in committee_mediators(self.case)
        ]
        choice_field(self, "mediator_ids").choices = people
        if self.user is not None and self.user.pk in {pk for pk, _label in people}:
            # Most often whoever accepted the case mediates it.
            self.fields["mediator_ids"].initial = [self.user.pk]
        choice_field(self, "presiding_id").choices = [("", _("The first one ticked")), *people]

    def move_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "mediator_ids": d["mediator_ids"],
            "presiding_id": d["presiding_id"],
            "chosen_by_parties": d["chosen_by_parties"],
        }


class ReachAgreementForm(MoveForm):
    action = Action.REACH_AGREEMENT


class FailForm(MoveForm):
    action = Action.FAIL
    routes_told = forms.BooleanField(
        label=_("The parties were told of the arbitration, administrative and judicial routes"),
        required=False,
    )
    field_order = ["routes_told", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Why mediation failed")

    def move_data(self) -> dict[str, Any]:
        return {"routes_told": self.cleaned_data["routes_told"]}


class TerminateForm(MoveForm):
    action = Action.TERMINATE
    end_reason = forms.ChoiceField(
        label=label(Case, "end_reason"), choices=[("", "—"), *EndReason.choices]
    )
    field_order = ["end_reason", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Explanation")

    def move_data(self) -> dict[str, Any]:
        return {"end_reason": self.cleaned_data["end_reason"]}


class ResumeForm(MoveForm):
    action = Action.RESUME

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Why mediate again")


class ArchiveForm(MoveForm):
    action = Action.ARCHIVE
