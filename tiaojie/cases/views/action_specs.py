"""What can be done to a case from its page: each action's form, when its button shows, and
which service it calls. Whether it is *allowed* is the services' business; ``available`` only
decides which buttons a user sees (the workflow's ``allowed_actions`` for moves)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.models import User as UserModel
from tiaojie.accounts.roles import Capability
from tiaojie.cases import casefile
from tiaojie.cases import forms_moves as fm
from tiaojie.cases import forms_records as fr
from tiaojie.cases.choices import AgreementKind, CaseStatus, ConfirmationOutcome
from tiaojie.cases.models import Agreement, Case, JudicialConfirmation
from tiaojie.cases.rules import may_work_on
from tiaojie.cases.services import aftercare, agreements, attachments, intake, records
from tiaojie.cases.workflow import (
    MOVES,
    Action,
    allowed_actions,
    confirmation_rejected,
    current_agreement,
    transition,
)

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

S = CaseStatus
OPEN = (S.REGISTERED, S.ACCEPTED, S.IN_MEDIATION)  # a queued dispute is the centre's to route


@dataclass
class State:
    """What the buttons depend on, read once per page."""

    case: Case
    user: User

    @cached_property
    def allowed(self) -> list[Action]:
        return allowed_actions(self.case, self.user)

    @cached_property
    def works(self) -> bool:
        return self.user.can(Capability.CASE_HANDLE) and may_work_on(self.user, self.case)

    @cached_property
    def agreement(self) -> Agreement | None:
        return current_agreement(self.case)

    @cached_property
    def confirmations(self) -> list[JudicialConfirmation]:
        # Held by the case page's timeline (ADR 0070); a case has one or two at most.
        return list(self.case.confirmations.all())

    @cached_property
    def pending_confirmation(self) -> bool:
        return any(c.outcome == ConfirmationOutcome.PENDING for c in self.confirmations)

    @cached_property
    def rejected(self) -> bool:
        """The court rejected the latest application for confirmation."""
        return confirmation_rejected(self.case)

    @cached_property
    def serving(self) -> int:
        return self.case.mediators.filter(withdrawn_at__isnull=True).count()

    def status_in(self, *statuses: CaseStatus) -> bool:
        return self.case.status in statuses


Available = Callable[[State], bool]
Perform = Callable[["User", Case, Any], str]


@dataclass(frozen=True)
class Spec:
    name: str
    label: str | Promise
    form: type[Any]
    perform: Perform
    available: Available
    capability: Capability = Capability.CASE_HANDLE
    is_move: bool = False
    tone: str = ""  # "primary" for the move forward, "danger" for one that ends the case
    context: Callable[[State], dict[str, Any]] = field(default=lambda state: {})


def _move(user: User, case: Case, form: fm.MoveForm) -> str:
    moved = transition(
        actor=user,
        case=case,
        action=form.action,
        reason=form.cleaned_data["reason"],
        version=form.case_version,
        data=form.move_data(),
    )
    return _("%(action)s: the case is now “%(status)s”.") % {
        "action": form.action.label,
        "status": CaseStatus(moved.status).label,
    }


def _move_spec(
    action: Action,
    form: type[fm.MoveForm],
    tone: str = "primary",
    when: Available = lambda state: True,
    **kwargs: Any,
) -> Spec:
    """A workflow move's button: shown when the workflow allows the move and ``when`` holds (a
    hint only: the move's guard decides when it is tried)."""
    return Spec(
        action.value,
        action.label,
        form,
        _move,
        lambda state: action in state.allowed and when(state),
        capability=MOVES[action].capability,
        is_move=True,
        tone=tone,
        **kwargs,
    )


def _saved(_thing: object = None) -> str:
    return _("Saved.")


def _data(form: Any, *names: str) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in names}


def _archive_context(state: State) -> dict[str, Any]:
    return {"missing_documents": casefile.missing_documents(state.case)}


def _sign_context(state: State) -> dict[str, Any]:
    a = state.agreement
    return {"missing_signatures": casefile.missing_signatures(a) if a else []}


def _confirmation_context(state: State) -> dict[str, Any]:
    return {"confirmation_deadline": aftercare.confirmation_deadline(state.case)}


def _party_add(user: User, case: Case, form: fr.PartyAddForm) -> str:
    data = form.to_data()
    party = intake.party_add(actor=user, case=case, data=data, version=form.case_version)
    added = _("%(name)s was added as a party.") % {"name": party.name}
    return " ".join([added, *intake.party_name_warnings([data])])


def _case_edit(user: User, case: Case, form: fr.CaseEditForm) -> str:
    intake.case_update(
        actor=user, case=case, data=form.to_data(), version=form.cleaned_data["version"]
    )
    return _saved()


def _sign(user: User, case: Case, form: fr.SignForm) -> str:
    state = agreements.agreement_signatures_record(
        actor=user,
        case=case,
        signed_on=form.cleaned_data["signed_on"],
        version=form.case_version,
        **form.signatures(),
    )
    if state.effective_on:
        day = date_format(state.effective_on, "DATE_FORMAT")
        return _(
            "Signed. The agreement took effect on %(day)s and the case is now “%(status)s”."
        ) % {"day": day, "status": CaseStatus(state.case_status).label}
    return _("Signed. Still missing: %(missing)s") % {"missing": "、".join(state.missing)}


def _record(service: Callable[..., Any], *names: str) -> Perform:
    def perform(user: User, case: Case, form: Any) -> str:
        service(actor=user, case=case, version=form.case_version, **_data(form, *names))
        return _saved()

    return perform


def _mediator(service: Callable[..., Any], *names: str) -> Perform:
    def perform(user: User, case: Case, form: Any) -> str:

        person = UserModel.objects.get(pk=form.cleaned_data["mediator"])
        service(
            actor=user, case=case, mediator=person, version=form.case_version, **_data(form, *names)
        )
        return _saved()

    return perform


SPECS: dict[str, Spec] = {
    spec.name: spec
    for spec in [
        _move_spec(Action.ROUTE, fm.RouteForm),
        _move_spec(Action.ACCEPT, fm.AcceptForm),
        _move_spec(Action.START_MEDIATION, fm.StartMediationForm),
        # Offered once the agreement is in effect and the case still in mediation: an oral
        # agreement (in effect when drawn up). Signing puts a written one in effect and moves
        # the case on by itself, so the step is never offered for it.
        _move_spec(
            Action.REACH_AGREEMENT,
            fm.ReachAgreementForm,
            when=lambda s: s.agreement is not None and s.agreement.effective_on is not None,
        ),
        _move_spec(Action.ARCHIVE, fm.ArchiveForm, context=_archive_context),
        _move_spec(Action.RETURN, fm.ReturnForm, tone=""),
        _move_spec(Action.DECLINE, fm.DeclineForm, tone="danger"),
        _move_spec(Action.FAIL, fm.FailForm, tone="danger"),
        _move_spec(Action.TERMINATE, fm.TerminateForm, tone="danger"),
        _move_spec(Action.RESUME, fm.ResumeForm, tone="", when=lambda s: s.rejected),
        Spec(
            "session_add",
            gettext_lazy("Add session minutes"),
            fr.SessionForm,
            _record(
                records.session_add,
                *("held_at", "place", "parties_present", "participants", "recorder", "content"),
                "rights_told",
            ),
            lambda s: s.works and s.status_in(S.IN_MEDIATION),
        ),
        Spec(
            "investigation_add",
            gettext_lazy("Add investigation record"),
            fr.InvestigationForm,
            _record(
                records.investigation_add,
                *("held_at", "place", "interviewee", "investigators", "recorder", "content"),
            ),
            lambda s: s.works and s.status_in(S.ACCEPTED, S.IN_MEDIATION),
        ),
        Spec(
            "agreement_draw_up",
            gettext_lazy("Draw up the agreement"),
            fr.AgreementForm,
            _record(
                agreements.agreement_draw_up,
                *("kind", "facts", "content", "performance_manner", "performance_place"),
                *("performance_deadline", "formed_on"),
            ),
            lambda s: s.works and s.status_in(S.IN_MEDIATION) and s.agreement is None,
        ),
        Spec(
            "agreement_sign",
            gettext_lazy("Record signatures"),
            fr.SignForm,
            _sign,
            lambda s: (
                s.works
                and s.status_in(S.IN_MEDIATION)
                and s.agreement is not None
                and s.agreement.kind == AgreementKind.WRITTEN
                and s.agreement.effective_on is None
            ),
            context=_sign_context,
        ),
        Spec(
            "party_add",
            gettext_lazy("Add a party"),
            fr.PartyAddForm,
            _party_add,
            lambda s: s.works and s.status_in(*OPEN),
        ),
        Spec(
            "case_edit",
            gettext_lazy("Edit the case"),
            fr.CaseEditForm,
            _case_edit,
            lambda s: s.works and s.status_in(*OPEN),
        ),
        Spec(
            "mediator_add",
            gettext_lazy("Add a mediator"),
            fr.MediatorAddForm,
            _mediator(records.mediator_add),
            lambda s: (
                s.status_in(S.IN_MEDIATION)
                and s.user.can(Capability.CASE_ASSIGN)
                and may_work_on(s.user, s.case)
            ),
            capability=Capability.CASE_ASSIGN,
        ),
        Spec(
            "mediator_withdraw",
            gettext_lazy("Mediator withdraws"),
            fr.MediatorWithdrawForm,
            _mediator(records.mediator_withdraw, "reason"),
            lambda s: s.works and s.status_in(S.IN_MEDIATION) and s.serving > 1,
        ),
        Spec(
            "case_extend",
            gettext_lazy("Extend the deadline"),
            fr.ExtendForm,
            _record(records.case_extend, "until", "reason", "parties_consent"),
            lambda s: s.works and s.status_in(S.ACCEPTED, S.IN_MEDIATION),
            capability=Capability.CASE_ASSIGN,  # the director approves an extension
        ),
        Spec(
            "performance_record",
            gettext_lazy("Record performance"),
            fr.PerformanceForm,
            _record(aftercare.performance_record, "status", "recorded_on", "note"),
            lambda s: s.works and s.status_in(S.AGREED, S.ARCHIVED),
        ),
        Spec(
            "confirmation_apply",
            gettext_lazy("Apply for judicial confirmation"),
            fr.ConfirmationApplyForm,
            _record(aftercare.confirmation_apply, "applied_on", "court", "joint"),
            lambda s: s.works and s.status_in(S.AGREED) and not s.pending_confirmation,
            context=_confirmation_context,
        ),
        Spec(
            "confirmation_decide",
            gettext_lazy("Record the court's ruling"),
            fr.ConfirmationDecideForm,
            _record(
                aftercare.confirmation_decide, "outcome", "decided_on", "ruling_number", "note"
            ),
            lambda s: s.works and s.pending_confirmation,
        ),
        Spec(
            "follow_up_add",
            gettext_lazy("Add a follow-up visit"),
            fr.FollowUpForm,
            _record(
                aftercare.follow_up_add,
                *("visited_on", "method", "party_visited", "performance", "satisfaction"),
                *("escalation_risk", "notes"),
            ),
            lambda s: s.works and s.status_in(S.AGREED, S.ARCHIVED),
        ),
        Spec(
            "attachment_add",
            gettext_lazy("Attach a file"),
            fr.AttachmentForm,
            _record(attachments.attachment_add, "kind", "title", "file"),
            lambda s: s.works,
        ),
    ]
}


TONE_ORDER = {"primary": 0, "": 1, "danger": 2}


def available_specs(state: State) -> list[Spec]:
    """The buttons to show: the move forward first, then records, the moves that end it last."""
    shown = [s for s in SPECS.values() if state.user.can(s.capability) and s.available(state)]
    return sorted(shown, key=lambda spec: TONE_ORDER[spec.tone])
