"""Supervised cases (挂牌督办): flagging, and one workflow on the transition engine
(``core.transitions``) for everything after.

open ──report (committee staff; stays open)──► open
open ──extend (supervisor: later deadline + reason)──► open
open ──close (supervisor: outcome)──► closed
open ──escalate (supervisor, or the system when overdue)──► escalated
        + a new open supervision at the supervising organisation's parent
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy
from tiaojie.core import transitions
from tiaojie.core.errors import Conflict, NotPermitted, field_error
from tiaojie.deadlines.calendar import WorkCalendar
from tiaojie.notifications.services import notify
from tiaojie.supervision import deadline_defaults
from tiaojie.supervision.choices import SupervisionAction, SupervisionStatus
from tiaojie.supervision.error_codes import SupervisionErrorCode as E
from tiaojie.supervision.models import Supervision, SupervisionReport
from tiaojie.supervision.rules import (
    ESCALATES_TO,
    SUPERVISABLE,
    flag_refusal,
    may_report,
    may_supervise,
)
from tiaojie.supervision.services.recipients import case_staff, supervisors

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.organisations.models import Organisation

Data = dict[str, Any]


def _calendar(today: dt.date) -> WorkCalendar:
    return WorkCalendar.load(today.year - 1, today.year + 2)


def _check_deadline(day: dt.date | None, today: dt.date, field: str = "deadline") -> dt.date:
    if day is None:
        raise field_error(field, _("Give the deadline."), E.DEADLINE_REQUIRED)
    if day <= today:
        raise field_error(field, _("The deadline must lie in the future."), E.DEADLINE_PAST)
    if not _calendar(today).is_working_day(day):
        raise field_error(field, _("The deadline must be a working day."), E.DEADLINE_REST_DAY)
    return day


def default_deadline(org: Organisation, today: dt.date | None = None) -> dt.date:
    """The deadline offered when flagging or escalating (the deadline rules' default)."""
    start = today or timezone.localdate()
    return deadline_defaults.supervision_deadline(org, start, _calendar(start))


def _notify(people: Iterable[User], supervision: Supervision, title: str, key: str) -> None:
    notify(
        people,
        kind="supervision",
        title=title,
        url=reverse("supervision:supervision_detail", args=[supervision.pk]),
        case=supervision.case,
        key=f"supervision:{supervision.pk}:{key}",
    )


def _entry(
    supervision: Supervision,
    action: str,
    actor: User | None,
    text: str = "",
    at: dt.datetime | None = None,
    **data: Any,
) -> SupervisionReport:
    """The history's row of the flag, which opens a supervision (the moves' rows are the
    engine's)."""
    return SupervisionReport.objects.create(
        supervision=supervision,
        action=action,
        to_status=supervision.status,
        actor=actor,
        actor_name=actor.full_name if actor is not None else "",
        at=at or timezone.now(),
        reason=text,
        data=audit.jsonable(data),
    )


def _create(
    *,
    case: Case,
    org: Organisation,
    actor: User | None,
    deadline: dt.date,
    instructions: str,
    parent: Supervision | None = None,
    opened_at: dt.datetime | None = None,
    on: dt.date | None = None,
) -> Supervision:
    try:
        with transaction.atomic():
            supervision = Supervision.objects.create(
                case=case,
                supervising_org=org,
                opened_by=actor,
                opened_at=opened_at or timezone.now(),
                deadline=deadline,
                instructions=instructions,
                level=org.depth,
                parent=parent,
            )
    except IntegrityError as exc:  # the partial unique index: one open supervision per case
        raise Conflict(E.ALREADY_SUPERVISED, _("This case is already under supervision.")) from exc
    _entry(supervision, SupervisionAction.OPEN, actor, at=opened_at, deadline=deadline)
    _notify(
        case_staff(case),
        supervision,
        _("Case %(number)s is under supervision by %(org)s until %(deadline)s")
        % {
            "number": case.number,
            "org": org.name,
            "deadline": date_format(deadline, "DATE_FORMAT"),
        },
        "opened",
    )
    audit.record(
        EventType.SUPERVISION_OPENED,
        actor=actor,
        organisation=org,
        obj=supervision,
        after={
            "case_id": case.pk,
            "deadline": deadline,
            "level": org.depth,
            "parent_id": parent.pk if parent else None,
            # Flagged on an earlier day (the demo): said so, as the engine's moves say it.
            **({"on": on.isoformat()} if on is not None else {}),
        },
    )
    return supervision


@transaction.atomic
def supervision_open(
    *,
    actor: User,
    case: Case,
    deadline: dt.date | None,
    instructions: str,
    on: dt.date | None = None,
) -> Supervision:
    """A higher level flags a case of a committee below it, with a deadline and instructions.
    ``on``: the day it was flagged, when recorded later (the demo); never a day ahead, and the
    deadline must lie after it."""
    flagged_at = transitions.moment_on(on)
    locked = (
        Case.objects.select_for_update(of=("self",)).select_related("committee").get(pk=case.pk)
    )
    if not case_policy.allows(actor, Capability.CASE_CONTENT, locked):
        raise NotPermitted(E.NOT_PERMITTED, _("This case is outside your scope."))
    refusal = flag_refusal(actor, locked)
    if refusal == "same_level":
        raise NotPermitted(
            E.SAME_LEVEL,
            _("A case is flagged by a level above the one holding it."),
        )
    if refusal == "case_ended":
        raise Conflict(E.CASE_ENDED, _("This case has ended; there is nothing to supervise."))
    if refusal:
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not flag cases for supervision."))
    if Supervision.objects.filter(case=locked, status=SupervisionStatus.OPEN).exists():
        raise Conflict(E.ALREADY_SUPERVISED, _("This case is already under supervision."))
    day = _check_deadline(deadline, timezone.localdate(flagged_at))
    if not instructions.strip():
        raise field_error(
            "instructions", _("Say what the committee is to do."), E.INSTRUCTIONS_REQUIRED
        )
    return _create(
        case=locked,
        org=actor.organisation,
        actor=actor,
        deadline=day,
        instructions=instructions.strip(),
        opened_at=flagged_at,
        on=on,
    )


# --- The transitions (on the engine, ``core.transitions``) ---------------------------------------
# Each move's checks and effects are its ``apply`` (they run after the engine's scope, version
# and state checks, as they always did); the text the move carries (progress, reason or
# outcome) is the engine's ``reason`` and the row's, the reason the user typed is ``data``'s.


def _report(sup: Supervision, actor: User | None, data: Data) -> None:
    reason = data["reason"]
    if actor is None or not may_report(actor, sup):
        raise NotPermitted(E.NOT_PERMITTED, _("Only the case's committee reports progress."))
    if not reason.strip():
        raise field_error("reason", _("Describe the progress."), E.PROGRESS_REQUIRED)
    _notify(
        supervisors(sup),
        sup,
        _("Progress reported on supervised case %(number)s") % {"number": sup.case.number},
        f"report:{sup.reports.count() + 1}",
    )


def _require_supervisor(sup: Supervision, actor: User | None, system_ok: bool = False) -> None:
    if actor is None and system_ok:
        return
    if actor is None or not may_supervise(actor, sup):
        raise NotPermitted(E.NOT_PERMITTED, _("Only the supervising level decides on this."))


def _extend(sup: Supervision, actor: User | None, data: Data) -> None:
    reason = data["reason"]
    _require_supervisor(sup, actor)
    today = timezone.localdate()
    raw = data.get("deadline")
    day = dt.date.fromisoformat(raw) if isinstance(raw, str) and raw else raw
    day = _check_deadline(day if isinstance(day, dt.date) else None, today)
    if day <= sup.deadline:
        raise field_error("deadline", _("The new deadline must be later than the current one."))
    if not reason.strip():
        raise field_error("reason", _("Say why the deadline is extended."), E.REASON_REQUIRED)
    data["previous"] = sup.deadline
    data["deadline"] = day
    sup.deadline = day


def _close(sup: Supervision, actor: User | None, data: Data) -> None:
    _require_supervisor(sup, actor)
    outcome = data["text"]
    if not outcome:
        raise field_error("outcome", _("Say how the supervision ends."), E.OUTCOME_REQUIRED)
    sup.outcome = outcome
    sup.closed_by = actor
    sup.closed_at = timezone.now()


def _escalate(sup: Supervision, actor: User | None, data: Data) -> None:
    reason = data["reason"]
    _require_supervisor(sup, actor, system_ok=True)
    parent = sup.supervising_org.parent
    if parent is None or parent.kind not in ESCALATES_TO:
        raise Conflict(E.TOP_LEVEL, _("There is no higher level to escalate to."))
    if not reason.strip():
        raise field_error("reason", _("Say why the supervision is escalated."), E.REASON_REQUIRED)
    if sup.case.status not in SUPERVISABLE:
        raise Conflict(E.CASE_ENDED, _("This case has ended; there is nothing to supervise."))
    sup.status = SupervisionStatus.ESCALATED
    sup.closed_by = actor
    sup.closed_at = timezone.now()
    sup.outcome = reason.strip()
    # Free the case's one open slot before the next level's supervision takes it.
    sup.save(update_fields=["status", "closed_by", "closed_at", "outcome"])
    today = data.get("today") or timezone.localdate()
    successor = _create(
        case=sup.case,
        org=parent,
        actor=actor,
        deadline=default_deadline(parent, today),
        instructions=sup.instructions,
        parent=sup,
    )
    data["successor_id"] = successor.pk
    _notify(
        supervisors(successor),
        successor,
        _("Supervised case %(number)s rose to your level: %(reason)s")
        % {"number": sup.case.number, "reason": reason.strip()},
        "escalated",
    )


def _move(
    action: str, target: str, apply: Callable[[Supervision, Any, Data], None], *extra: str
) -> transitions.Move[Supervision]:
    # No capability: who may is the supervision's own rule (may_report, may_supervise), checked
    # in ``apply`` after the state, as before; the system escalates with no actor.
    return transitions.Move(
        action, frozenset({SupervisionStatus.OPEN}), target, None, apply=apply, extra=extra
    )


MOVES: dict[str, transitions.Move[Supervision]] = {
    move.action: move
    for move in [
        _move(SupervisionAction.REPORT, SupervisionStatus.OPEN, _report),
        _move(SupervisionAction.EXTEND, SupervisionStatus.OPEN, _extend, "deadline", "previous"),
        _move(SupervisionAction.CLOSE, SupervisionStatus.CLOSED, _close),
        _move(SupervisionAction.ESCALATE, SupervisionStatus.ESCALATED, _escalate, "successor_id"),
    ]
}
EVENTS = {
    SupervisionAction.REPORT: EventType.SUPERVISION_REPORTED,
    SupervisionAction.EXTEND: EventType.SUPERVISION_EXTENDED,
    SupervisionAction.CLOSE: EventType.SUPERVISION_CLOSED,
    SupervisionAction.ESCALATE: EventType.SUPERVISION_ESCALATED,
}


def allowed_actions(supervision: Supervision, user: User) -> list[str]:
    """The transitions ``user`` may try on ``supervision`` now."""
    if not supervision.is_open:
        return []
    actions: list[str] = []
    if may_report(user, supervision):
        actions.append(SupervisionAction.REPORT)
    if may_supervise(user, supervision):
        actions += [SupervisionAction.EXTEND, SupervisionAction.CLOSE]
        parent = supervision.supervising_org.parent
        if parent is not None and parent.kind in ESCALATES_TO:
            actions.append(SupervisionAction.ESCALATE)
    return actions


def _record(
    actor: User | None,
    sup: Supervision,
    move: transitions.Move[Supervision],
    before: str,
    reason: str,
    recorded: Data,
) -> None:
    action = str(move.action)
    after: Data = {"status": sup.status, "deadline": sup.deadline, "action": action}
    if "successor_id" in recorded:
        after["successor_id"] = recorded["successor_id"]
    previous = recorded.get("previous", sup.deadline)
    audit.record(
        EVENTS[SupervisionAction(action)],
        actor=actor,
        organisation=sup.supervising_org,
        obj=sup,
        # Reasons for extending or escalating are procedural; progress reports and outcomes
        # may speak of the parties, so they stay out of the trail (三员分立).
        reason=reason if action in (SupervisionAction.EXTEND, SupervisionAction.ESCALATE) else "",
        before={"status": before, "deadline": previous},
        after=after,
    )


WORKFLOW: transitions.Workflow[Supervision] = transitions.Workflow(
    name="supervision",
    model=Supervision,
    moves=MOVES,
    log=SupervisionReport,
    log_field="supervision",
    # The system (no actor) sees every supervision; a person only those of cases in scope.
    scope=lambda actor, sup: (
        actor is None or case_policy.allows(actor, Capability.CASE_CONTENT, sup.case)
    ),
    messages=transitions.Messages(
        out_of_scope=gettext_lazy("This case is outside your scope."),
        not_allowed=gettext_lazy("This case is outside your scope."),
        stale=gettext_lazy(
            "Someone else changed this supervision while you were working on it. Reload."
        ),
        illegal=lambda status, move: _("This supervision is no longer open."),
        illegal_code=E.NOT_OPEN,
    ),
    record=_record,
    subject=lambda sup: {
        "supervision_id": sup.pk,
        "case_id": sup.case_id,
        "supervising_org_id": sup.supervising_org_id,
    },
    lock=lambda pk: (
        Supervision.objects.select_for_update(of=("self",))
        .select_related("case", "supervising_org", "supervising_org__parent", "opened_by")
        .get(pk=pk)
    ),
)


@transaction.atomic
def supervision_transition(
    *,
    actor: User | None,
    supervision: Supervision,
    action: str,
    reason: str = "",
    data: Data | None = None,
    version: int | None = None,
) -> Supervision:
    """Report, extend, close or escalate an open supervision, or refuse and change nothing.
    ``actor`` None is the system (only to escalate an overdue supervision). The moves run on
    the transition engine and publish ``supervision.moved``."""
    values: Data = dict(data or {})
    if actor is not None:
        values.pop("today", None)  # only the daily scan dates an escalation
    values["reason"] = reason
    # What the history keeps: the outcome when closing, else the progress or the reason.
    text = (
        str(values.get("outcome") or reason).strip()
        if action == SupervisionAction.CLOSE
        else reason.strip()
    )
    values["text"] = text
    return WORKFLOW.move(
        actor=actor, obj=supervision, action=action, reason=text, version=version, data=values
    )


def escalate_overdue(today: dt.date | None = None) -> int:
    """The daily scan: every open supervision past its deadline rises a level (the system
    acts, and says so in words: the reason reaches the next level's notification). Safe to run twice: the escalated one is no longer open and its
    successor's deadline lies ahead. A city-level supervision has nowhere to go and stays."""
    day = today or timezone.localdate()
    due = Supervision.objects.filter(status=SupervisionStatus.OPEN, deadline__lt=day)
    escalated = 0
    for pk in due.values_list("pk", flat=True):
        supervision = Supervision.objects.get(pk=pk)
        try:
            supervision_transition(
                actor=None,
                supervision=supervision,
                action=SupervisionAction.ESCALATE,
                reason=_("The supervision deadline of %(day)s has passed.")
                % {"day": date_format(supervision.deadline, "DATE_FORMAT")},
                data={"today": day},
            )
        except Conflict:
            continue  # top level, or the case ended meanwhile
        escalated += 1
    return escalated
