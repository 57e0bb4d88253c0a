"""The case workflow: one table of allowed moves, one function that makes them.

queued → registered (routed by a governance centre to a committee)
registered → queued (returned to the centre) | accepted | declined
accepted → in_mediation | terminated
in_mediation → agreed | failed | terminated
agreed → in_mediation (the court rejected the confirmation: mediate again)
agreed | failed | terminated | declined → archived

Every move is checked against the table, the actor's capability and scope, and its guard;
it records who, when and why in ``CaseTransition`` and in the audit trail. Nothing else
changes ``Case.status``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, router
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.accounts.selectors import MEDIATING_ROLES
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases import casefile, numbering, reads
from tiaojie.cases.choices import (
    ENDED_STATUSES,
    CaseStatus,
    ConfirmationOutcome,
    DeclineReason,
    EndReason,
)
from tiaojie.cases.error_codes import CasesErrorCode as E
from tiaojie.cases.models import (
    Agreement,
    Case,
    CaseMediator,
    CaseTransition,
    JointCommittee,
)
from tiaojie.cases.rules import case_policy, may_work_on
from tiaojie.core import transitions
from tiaojie.core.compiled import Compiled
from tiaojie.core.errors import Conflict, NotPermitted
from tiaojie.organisations.choices import OrganisationKind, OrganisationStatus
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.selectors import district_of

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.audit.models import AuditEvent
    from tiaojie.organisations.models import Organisation

S = CaseStatus
Data = dict[str, Any]


class Action(models.TextChoices):
    ROUTE = "route", gettext_lazy("Route to a committee")
    RETURN = "return", gettext_lazy("Return to the governance centre")
    ACCEPT = "accept", gettext_lazy("Accept")
    DECLINE = "decline", gettext_lazy("Decline")
    START_MEDIATION = "start_mediation", gettext_lazy("Start mediation")
    REACH_AGREEMENT = "reach_agreement", gettext_lazy("Record agreement reached")
    FAIL = "fail", gettext_lazy("Record mediation failed")
    TERMINATE = "terminate", gettext_lazy("Terminate mediation")
    RESUME = "resume", gettext_lazy("Mediate again")
    ARCHIVE = "archive", gettext_lazy("Archive")
    # Who holds the case changes, not where it stands: made only by ``case_transfer`` when the
    # receiving committee accepts a transfer (routing decides; docs/routing.md).
    TRANSFER = "transfer", gettext_lazy("Transfer")


@dataclass(frozen=True)
class Move(transitions.Move["Case"]):
    """A move of the case: the engine's, and whether only those who work on the case (its
    committee's staff, its assigned mediators) may make it."""

    capability: Capability  # every move of the case names one
    works_on_case: bool = True


_refuse = transitions.refuse


def _today() -> dt.date:
    return timezone.localdate(transitions.moment())


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day (1月31日 + 1 month = 2月28/29日)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return min(
        day.replace(year=year, month=month, day=1) + dt.timedelta(days=day.day - 1),
        next_month - dt.timedelta(days=1),
    )


# --- Guards and effects ----------------------------------------------------------------------


def _route_target(case: Case, data: Data) -> Organisation:
    """The committee a queued case is routed to: active, and within the district of the centre
    holding it (属地管理)."""

    raw = str(data.get("committee_id") or "")
    target = (
        Organisation.objects.filter(pk=int(raw), kind=OrganisationKind.COMMITTEE).first()
        if raw.isdigit()
        else None
    )
    if target is None:
        raise _refuse(E.COMMITTEE_REQUIRED, _("Choose the committee."), "committee_id")
    if target.status != OrganisationStatus.ACTIVE:
        raise _refuse(E.COMMITTEE_INACTIVE, _("This committee no longer works."), "committee_id")
    if not target.is_within(district_of(case.committee)):
        raise _refuse(
            E.OUTSIDE_REACH,
            _("This committee is outside the centre's district."),
            "committee_id",
        )
    return target


def _guard_route(case: Case, actor: User, data: Data) -> None:
    # Found once: the apply step below takes it from here (not recorded: not in ``extra``).
    data["_target"] = _route_target(case, data)


def _end_lead(case: Case) -> None:
    """The case leaves its holder: committees mediating jointly with it stop (their staff no
    longer see the case). A transfer it asked for is withdrawn by routing, which listens to
    ``case.moved`` (docs/events.md)."""
    JointCommittee.objects.filter(case=case, left_at__isnull=True).update(
        left_at=transitions.moment()
    )


def _apply_route(case: Case, actor: User, data: Data) -> None:
    target = data.pop("_target", None) or _route_target(case, data)
    _end_lead(case)
    case.committee = target
    case.committee_path = target.path
    if case.number == case.intake_number:
        # First time at a committee: it numbers the case in its own sequence of this year.
        year = _today().year
        case.year, case.sequence = year, numbering.next_sequence(target, year)
        case.number = numbering.format_number(target, year, case.sequence)
    data["committee_name"] = target.name
    data["number"] = case.number


def _apply_return(case: Case, actor: User, data: Data) -> None:
    centre = case.centre
    if centre is None:  # offered only for routed cases; the guard below says why
        raise Conflict(E.NO_CENTRE, _("This case did not come from a governance centre."))
    CaseMediator.objects.filter(case=case, withdrawn_at__isnull=True).update(
        withdrawn_at=transitions.moment(), withdrawal_reason=_("Returned to the governance centre")
    )
    _end_lead(case)
    data["committee_name"] = case.committee.name
    case.committee = centre
    case.committee_path = centre.path


def _guard_return(case: Case, actor: User, data: Data) -> None:
    if case.centre_id is None:
        raise Conflict(E.NO_CENTRE, _("This case did not come from a governance centre."))


def _default_due_on(committee: Organisation, accepted_on: dt.date) -> dt.date:
    return add_months(accepted_on, settings.TIAOJIE_MEDIATION_MONTHS)


DueRule = Callable[["Organisation", dt.date], dt.date]
DueRules = Callable[["Organisation", Iterable[dt.date]], dict[dt.date, dt.date]]
_due_rule: dict[str, DueRule] = {"mediation": _default_due_on}
_due_rules: dict[str, DueRules] = {}


def use_mediation_deadline(rule: DueRule, many: DueRules | None = None) -> None:
    """Compute accepted cases' mediation deadlines with ``rule`` (and ``many``: the same for
    many acceptance days at once). The deadlines app, which builds on the cases, puts the
    bureau's deadline rule here at start-up (``DeadlinesConfig.ready``; a rest day at the end
    moves to the next working day). The deadline is set in the move's own transaction, so it
    cannot wait for an event."""
    _due_rule["mediation"] = rule
    if many is not None:
        _due_rules["mediation"] = many
    else:
        _due_rules.pop("mediation", None)


def mediation_due_on(committee: Organisation, accepted_on: dt.date) -> dt.date:
    """The mediation deadline of a case the committee accepts on ``accepted_on``."""
    return _due_rule["mediation"](committee, accepted_on)


def mediation_due_on_many(
    committee: Organisation, days: Iterable[dt.date]
) -> dict[dt.date, dt.date]:
    """``mediation_due_on`` for each of ``days`` (the ledger import's), at once if the rule can."""
    many = _due_rules.get("mediation")
    if many is not None:
        return many(committee, days)
    return {day: mediation_due_on(committee, day) for day in set(days)}


def _apply_accept(case: Case, actor: User, data: Data) -> None:
    case.accepted_on = _today()
    case.due_on = mediation_due_on(case.committee, case.accepted_on)


def _guard_decline(case: Case, actor: User, data: Data) -> None:
    if data.get("decline_reason") not in DeclineReason.values:
        raise _refuse(
            E.DECLINE_REASON_REQUIRED, _("Choose why the case is declined."), "decline_reason"
        )


def _apply_decline(case: Case, actor: User, data: Data) -> None:
    case.decline_reason = data["decline_reason"]
    case.closed_on = _today()


def _mediators_from(case: Case, data: Data) -> list[User]:

    ids = [int(i) for i in data.get("mediator_ids") or []]
    mediators = list(
        User.objects.filter(
            pk__in=ids,
            is_active=True,
            organisation_id__in=[
                case.committee_id,
                *case.joint_committees.filter(left_at__isnull=True).values_list(
                    "committee_id", flat=True
                ),
            ],
            role__in=MEDIATING_ROLES,
        )
    )
    if not ids:
        raise _refuse(E.MEDIATOR_REQUIRED, _("Assign at least one mediator."), "mediator_ids")
    if len(mediators) != len(set(ids)):
        raise _refuse(
            E.MEDIATOR_NOT_IN_COMMITTEE,
            _("Every mediator must be an active mediator of this committee or a joint one."),
            "mediator_ids",
        )
    return mediators


def _guard_start(case: Case, actor: User, data: Data) -> None:
    mediators = _mediators_from(case, data)
    presiding = data.get("presiding_id")
    if presiding is not None and int(presiding) not in {m.pk for m in mediators}:
        raise _refuse(
            E.PRESIDING_NOT_ASSIGNED,
            _("The presiding mediator must be one of those assigned."),
            "presiding_id",
        )


def _apply_start(case: Case, actor: User, data: Data) -> None:
    mediators = _mediators_from(case, data)
    presiding = int(data.get("presiding_id") or mediators[0].pk)
    for mediator in mediators:
        CaseMediator.objects.get_or_create(
            case=case,
            mediator=mediator,
            withdrawn_at=None,
            defaults={
                "assigned_at": transitions.moment(),
                "is_presiding": mediator.pk == presiding,
                "chosen_by_parties": bool(data.get("chosen_by_parties")),
            },
        )
    data["mediator_names"] = [m.full_name for m in mediators]


def current_agreement(case: Case) -> Agreement | None:
    """The agreement in force, if any (compiled once: every guard and answer reads it)."""
    return reads.current_agreement(case)


def _guard_agreement(case: Case, actor: User, data: Data) -> None:
    if not case.sessions.exists():
        raise Conflict(E.SESSION_REQUIRED, _("Record at least one mediation session first."))
    agreement = current_agreement(case)
    if agreement is None:
        raise Conflict(E.AGREEMENT_REQUIRED, _("Draw up the agreement first."))
    if agreement.effective_on is None:
        missing = casefile.missing_signatures(agreement)
        raise Conflict(
            E.AGREEMENT_NOT_EFFECTIVE,
            _("The agreement is not yet in effect: %(missing)s") % {"missing": "、".join(missing)},
        )


def _apply_agreement(case: Case, actor: User, data: Data) -> None:
    agreement = current_agreement(case)
    if agreement is None or agreement.effective_on is None:  # the guard ran just before
        raise Conflict(E.AGREEMENT_NOT_EFFECTIVE, _("The agreement is not yet in effect."))
    case.closed_on = agreement.effective_on
    data["agreement_number"] = agreement.number


def _guard_fail(case: Case, actor: User, data: Data) -> None:
    if not case.sessions.exists():
        raise Conflict(E.SESSION_REQUIRED, _("Record at least one mediation session first."))
    if not data.get("routes_told"):
        raise _refuse(
            E.ROUTES_NOT_TOLD,
            _("Tell the parties of the arbitration, administrative and judicial routes (art. 26)."),
            "routes_told",
        )


def _guard_end(case: Case, actor: User, data: Data) -> None:
    if data.get("end_reason") not in EndReason.values:
        raise _refuse(E.END_REASON_REQUIRED, _("Choose why mediation ends."), "end_reason")


def _apply_end(case: Case, actor: User, data: Data) -> None:
    case.end_reason = data["end_reason"]
    case.routes_told = True
    case.closed_on = _today()


def _apply_fail(case: Case, actor: User, data: Data) -> None:
    data.setdefault("end_reason", EndReason.NO_AGREEMENT)
    _apply_end(case, actor, data)


def confirmation_rejected(case: Case) -> bool:
    """The court rejected the latest application for confirmation. Read from the case's
    confirmations, which its page holds already (ADR 0070); a move's locked case holds
    none and reads them."""
    latest = max(case.confirmations.all(), key=lambda c: (c.applied_on, c.pk), default=None)
    return latest is not None and latest.outcome == ConfirmationOutcome.REJECTED


def _agreement_in_effect(case: Case) -> bool:
    agreement = current_agreement(case)
    return agreement is not None and agreement.effective_on is not None


def _guard_resume(case: Case, actor: User, data: Data) -> None:
    if not confirmation_rejected(case):
        raise Conflict(
            E.NOT_REJECTED,
            _("A case mediates again only after the court rejected the agreement's confirmation."),
        )


def _apply_resume(case: Case, actor: User, data: Data) -> None:
    Agreement.objects.filter(case=case, superseded_at__isnull=True).update(
        superseded_at=transitions.moment()
    )
    case.closed_on = None


def _guard_archive(case: Case, actor: User, data: Data) -> None:
    missing = casefile.missing_documents(case)
    if missing:
        raise Conflict(
            E.FILE_INCOMPLETE,
            _("The case file is incomplete: %(missing)s")
            % {"missing": "、".join(str(m) for m in missing)},
            missing=[str(m) for m in missing],
        )


def _apply_archive(case: Case, actor: User, data: Data) -> None:
    case.archived_on = _today()


def _guard_transfer(case: Case, actor: User, data: Data) -> None:
    target = data.get("committee")
    if not isinstance(target, Organisation) or target.status != OrganisationStatus.ACTIVE:
        raise Conflict(E.COMMITTEE_INACTIVE, _("This committee no longer works."))


def _apply_transfer(case: Case, actor: User, data: Data) -> None:
    """The case goes to the receiver: its mediators withdrawn, its number kept, the joint
    mediation of the old lead ended (the receiver may invite again)."""
    target: Organisation = data["committee"]
    now = transitions.moment()
    CaseMediator.objects.filter(case=case, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawal_reason=_("The case was transferred to another committee")
    )
    JointCommittee.objects.filter(case=case, left_at__isnull=True).update(left_at=now)
    source = case.committee
    data.update(
        from_committee_id=source.pk,
        from_committee_name=source.name,
        committee_id=target.pk,
        committee_name=target.name,
    )
    case.committee = target
    case.committee_path = target.path


MOVES: dict[Action, Move] = {
    move.action: move
    for move in [
        Move(
            Action.ROUTE,
            frozenset({S.QUEUED}),
            S.REGISTERED,
            Capability.CASE_ROUTE,
            guard=_guard_route,
            apply=_apply_route,
            extra=("committee_id", "committee_name", "number", "rule_id", "overridden"),
        ),
        Move(
            Action.RETURN,
            frozenset({S.REGISTERED}),
            S.QUEUED,
            Capability.CASE_HANDLE,
            guard=_guard_return,
            apply=_apply_return,
            needs_reason=True,
            offered=lambda case: case.centre_id is not None,
            extra=("committee_name",),
        ),
        Move(
            Action.ACCEPT,
            frozenset({S.REGISTERED}),
            S.ACCEPTED,
            Capability.CASE_HANDLE,
            apply=_apply_accept,
        ),
        Move(
            Action.DECLINE,
            frozenset({S.REGISTERED}),
            S.DECLINED,
            Capability.CASE_HANDLE,
            guard=_guard_decline,
            apply=_apply_decline,
            needs_reason=True,
            extra=("decline_reason",),
        ),
        Move(
            Action.START_MEDIATION,
            frozenset({S.ACCEPTED}),
            S.IN_MEDIATION,
            Capability.CASE_HANDLE,
            guard=_guard_start,
            apply=_apply_start,
            extra=("mediator_ids", "presiding_id", "mediator_names"),
        ),
        Move(
            Action.REACH_AGREEMENT,
            frozenset({S.IN_MEDIATION}),
            S.AGREED,
            Capability.CASE_HANDLE,
            guard=_guard_agreement,
            apply=_apply_agreement,
            offered=_agreement_in_effect,
            extra=("agreement_number",),
        ),
        Move(
            Action.FAIL,
            frozenset({S.IN_MEDIATION}),
            S.FAILED,
            Capability.CASE_HANDLE,
            guard=_guard_fail,
            apply=_apply_fail,
            needs_reason=True,
            extra=("routes_told", "end_reason"),
        ),
        Move(
            Action.TERMINATE,
            frozenset({S.ACCEPTED, S.IN_MEDIATION}),
            S.TERMINATED,
            Capability.CASE_HANDLE,
            guard=_guard_end,
            apply=_apply_end,
            needs_reason=True,
            extra=("end_reason",),
        ),
        Move(
            Action.RESUME,
            frozenset({S.AGREED}),
            S.IN_MEDIATION,
            Capability.CASE_HANDLE,
            guard=_guard_resume,
            apply=_apply_resume,
            offered=confirmation_rejected,
            needs_reason=True,
        ),
        Move(
            Action.ARCHIVE,
            frozenset({S.AGREED, S.FAILED, S.TERMINATED, S.DECLINED}),
            S.ARCHIVED,
            Capability.CASE_ARCHIVE,
            guard=_guard_archive,
            apply=_apply_archive,
            works_on_case=False,
        ),
        Move(
            Action.TRANSFER,
            frozenset({S.REGISTERED, S.ACCEPTED}),
            transitions.STAY,
            Capability.CASE_ASSIGN,
            guard=_guard_transfer,
            apply=_apply_transfer,
            offered=lambda case: False,  # never offered on the case: a transfer is asked for
            extra=(
                "transfer_id",
                "kind",
                "from_committee_id",
                "from_committee_name",
                "committee_id",
                "committee_name",
            ),
            works_on_case=False,
            # The receiving committee's director makes it, who cannot see the case yet;
            # routing checked that they decide on the transfer.
            scoped=False,
        ),
    ]
}
# Moves made only by their own service, never through ``transition``.
OWN_SERVICE = frozenset({Action.TRANSFER})


# Moves only the lead committee makes: a committee mediating jointly works on the mediation
# (its assigned mediators record sessions, sign, close it) but does not take or give the case.
LEAD_ONLY = frozenset(
    {
        Action.RETURN,
        Action.ACCEPT,
        Action.DECLINE,
        Action.START_MEDIATION,
        Action.TERMINATE,
        Action.ARCHIVE,
    }
)


def _leads(user: User, case: Case, action: Action) -> bool:
    return action not in LEAD_ONLY or user.organisation_id == case.committee_id


def allowed_actions(
    case: Case, user: User, assigned: Collection[int] | None = None
) -> list[Action]:
    """The moves ``user`` may try on ``case`` now (guards are checked when they try);
    ``assigned`` as for ``may_work_on``."""
    works: list[bool] = []  # may_work_on, asked once (a query) and only if a move needs it

    def may_work() -> bool:
        if not works:
            works.append(may_work_on(user, case, assigned))
        return works[0]

    return [
        move.action
        for move in MOVES.values()
        if case.status in move.sources
        and user.can(move.capability)
        and move.offered(case)
        and (not move.works_on_case or may_work())
        and _leads(user, case, move.action)
    ]


def _lock(pk: int) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("committee", "dispute_type", "wished_committee")
        .get(pk=pk)
    )


def _lock_in_scope(actor: User | None, pk: int) -> tuple[Case, bool | None]:
    """``_lock`` and ``_in_scope`` in one statement: the locked row carries, as an EXISTS over
    the same scope the pages use, whether the actor may see it (ADR 0047). It also carries
    what ``may_work_on`` asks of the active mediators (see ``_assigned``). Compiled once per
    kind of actor (ADR 0062): building it through the ORM cost twice what running it does."""
    if actor is None:
        return _lock(pk), None
    alias = router.db_for_write(Case)
    compiled = _compiled_lock(alias, actor.role, actor.can(Capability.CASE_CONTENT))
    if compiled is None:
        case = _lock_query(actor).filter(pk=pk).get()
    else:
        case = compiled.get({"pk": pk, "user": actor.pk, "path": actor.organisation.path})
    return case, bool(case.actor_in_scope)  # type: ignore[attr-defined]


def _lock_query(actor: User) -> models.QuerySet[Case]:
    """The locking read of ``_lock_in_scope``, without the case's id."""
    visible = case_policy.visible(actor, Capability.CASE_CONTENT).filter(pk=models.OuterRef("pk"))
    active = CaseMediator.objects.filter(case=models.OuterRef("pk"), withdrawn_at__isnull=True)
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("committee", "dispute_type", "wished_committee")
        .annotate(
            actor_in_scope=models.Exists(visible),
            mediators_active=models.Exists(active),
            actor_mediates=models.Exists(active.filter(mediator=actor)),
        )
    )


# Values no case, user or tree path has: where they land among the compiled query's
# parameters is where the real ones go.
LOCK_SENTINELS: dict[str, int | str] = {"pk": -731_001, "user": -731_002, "path": "QZXPATHQZX"}


@functools.lru_cache(maxsize=64)
def _compiled_lock(alias: str, role: str, can_see: bool) -> Compiled[Case] | None:
    """The locking read compiled for an actor of ``role`` (who may or may not see case
    content at all): the scope's shape depends on these alone (``CasePolicy.scope``); the
    actor's id and organisation path are the values. None if the case's or the actor's id
    did not come out as a parameter of its own (the ORM then builds the read each time); the
    path is not one when the scope does not look at it (a grid worker's)."""
    stand_in = User(pk=LOCK_SENTINELS["user"], role=role, is_active=can_see)
    stand_in.organisation = Organisation(path=str(LOCK_SENTINELS["path"]))
    if stand_in.can(Capability.CASE_CONTENT) != can_see:
        return None
    queryset = _lock_query(stand_in).filter(pk=LOCK_SENTINELS["pk"]).using(alias)
    compiled = Compiled(queryset, LOCK_SENTINELS)
    return None if compiled.missing - {"path"} else compiled


def _assigned(actor: User, case: Case) -> set[int] | None:
    """The case's active mediators as ``may_work_on`` weighs them, from what
    ``_lock_in_scope`` read with the lock: none (empty), the actor among them (the actor's
    id), or only others (an id no user has). None when the row was read without them."""
    if not hasattr(case, "actor_mediates"):
        return None
    if not case.mediators_active:  # type: ignore[attr-defined]
        return set()
    return {actor.pk} if case.actor_mediates else {0}


def _in_scope(actor: User, case: Case) -> bool:
    return case_policy.allows(actor, Capability.CASE_CONTENT, case)


def _permit(actor: User, case: Case, move: transitions.Move[Case]) -> None:
    works_on_case = getattr(move, "works_on_case", True)
    if works_on_case and not may_work_on(actor, case, _assigned(actor, case)):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not do this to this case."))
    if not _leads(actor, case, Action(move.action)):
        raise NotPermitted(
            E.LEAD_ONLY, _("Only the lead committee takes, gives or closes this case.")
        )


def _settle_ending(case: Case, move: transitions.Move[Case]) -> None:
    if move.target not in (S.ARCHIVED, transitions.STAY):
        # How the case ended, kept through archiving; cleared when it mediates again.
        case.ended_as = move.target if move.target in ENDED_STATUSES else ""


def _illegal(status: str, move: transitions.Move[Case]) -> str:
    return _("A case that is “%(status)s” cannot be moved by “%(action)s”.") % {
        "status": CaseStatus(status).label,
        "action": Action(move.action).label,
    }


def _record(
    actor: User, case: Case, move: transitions.Move[Case], before: str, reason: str, recorded: Data
) -> None:
    if move.action == Action.TRANSFER:
        return  # its audit event is the transfer's decision (routing: transfer accepted)
    moved_audit(actor, case, move, before, reason, recorded).save()


def moved_audit(
    actor: User,
    case: Case,
    move: transitions.Move[Case],
    before: str,
    reason: str,
    recorded: Data,
) -> AuditEvent:
    """The audit event of a move, unsaved (the ledger import inserts many at once)."""
    return audit.build(
        EventType.CASE_MOVED,
        actor=actor,
        organisation=case.committee,
        obj=case,
        **moved_audit_parts(move, before, reason, recorded),
    )


def moved_audit_parts(
    move: transitions.Move[Case], before: str, reason: str, recorded: Data
) -> dict[str, Any]:
    """The reason, before and after of a move's audit event (``moved_audit``'s, which the
    ledger import builds as a plain row)."""
    return {
        "reason": reason,
        "before": {"status": before},
        "after": {"status": move.target, "action": str(move.action), **recorded},
    }


def _subject(case: Case) -> Data:
    return {"case_id": case.pk, "committee_id": case.committee_id}


WORKFLOW: transitions.Workflow[Case] = transitions.Workflow(
    name="case",
    model=Case,
    moves=MOVES,
    log=CaseTransition,
    log_field="case",
    scope=_in_scope,
    messages=transitions.Messages(
        out_of_scope=gettext_lazy("This case is outside your scope."),
        not_allowed=gettext_lazy("Your role may not do this to this case."),
        stale=gettext_lazy(
            "Someone else changed this case while you were working on it. Reload to see it."
        ),
        illegal=_illegal,
    ),
    record=_record,
    subject=_subject,
    lock=_lock,
    lock_in_scope=_lock_in_scope,
    permit=_permit,
    before_save=_settle_ending,
)


def transition(
    *,
    actor: User,
    case: Case,
    action: str,
    reason: str = "",
    version: int | None = None,
    data: Data | None = None,
    on: dt.date | None = None,
) -> Case:
    """Make one move of the workflow, or refuse it with a coded error and change nothing
    (the engine: ``core.transitions``; the domain event ``case.moved`` after commit).
    ``on``: the day it happened, when recorded later (the demo); never in the future."""
    try:
        key = Action(action)
    except ValueError as exc:
        raise _refuse(E.UNKNOWN_ACTION, _("Unknown action."), "action") from exc
    if key in OWN_SERVICE:
        raise _refuse(E.UNKNOWN_ACTION, _("Unknown action."), "action")
    return WORKFLOW.move(
        actor=actor, obj=case, action=key, reason=reason, version=version, data=data, on=on
    )


def case_transfer(
    *, actor: User, case: Case, committee: Organisation, reason: str, transfer_id: int, kind: str
) -> Case:
    """The case passes to ``committee`` on a transfer it accepted: a move of the case's table
    (``transfer``, its status kept), logged, with ``case.moved`` published. Routing checks
    who decides and that the case may still go; the audit event is routing's."""
    return WORKFLOW.move(
        actor=actor,
        obj=case,
        action=Action.TRANSFER,
        reason=reason,
        data={"committee": committee, "transfer_id": transfer_id, "kind": kind},
    )
