"""Screening rounds: the schedule, opening each period's rounds, assigning them, and their one
workflow (report with findings or a nil report; marked overdue by the nightly scan)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability, Role
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import events, transitions
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.organisations.choices import CommitteeKind, OrganisationKind, OrganisationStatus
from tiaojie.organisations.models import Organisation, path_ids
from tiaojie.screening import periods
from tiaojie.screening.choices import DEFAULT_FREQUENCY, Frequency, Level, RoundAction, RoundStatus
from tiaojie.screening.error_codes import ScreeningErrorCode as E
from tiaojie.screening.models import Round, RoundTransition, Schedule
from tiaojie.screening.rules import REPORT, may_report, round_policy

if TYPE_CHECKING:
    from tiaojie.organisations.models import OrganisationQuerySet

Data = dict[str, Any]

BUREAU_KINDS = (OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU)


def level_of(org: Organisation) -> str | None:
    """The level at which ``org`` screens, or None if it owes no rounds: a community committee
    for its community, a justice office for its street, a district bureau for its district."""
    if org.kind == OrganisationKind.COMMITTEE and org.committee_kind == CommitteeKind.COMMUNITY:
        return Level.COMMUNITY
    if org.kind == OrganisationKind.JUSTICE_OFFICE:
        return Level.STREET
    if org.kind == OrganisationKind.DISTRICT_BUREAU:
        return Level.DISTRICT
    return None


def frequency_for(org: Organisation, level: str) -> str:
    """The frequency set by the nearest bureau above (or at) ``org``, else the default."""
    ids = path_ids(org.path)
    chosen = {
        s.bureau_id: s.frequency
        for s in Schedule.objects.filter(bureau_id__in=ids, level=level).only(
            "bureau_id", "frequency"
        )
    }
    for pk in reversed(ids):
        if pk in chosen:
            return chosen[pk]
    return DEFAULT_FREQUENCY[level]


def schedule_for(bureau: Organisation) -> list[tuple[str, str, bool]]:
    """Each level with the frequency in force at ``bureau`` and whether the bureau set it."""
    own = dict(Schedule.objects.filter(bureau=bureau).values_list("level", "frequency"))
    return [
        (level, own.get(level) or frequency_for(bureau, level), level in own)
        for level in Level.values
    ]


@transaction.atomic
def schedule_set(*, actor: User, level: str, frequency: str) -> Schedule:
    """The actor's bureau screens ``level`` at ``frequency`` (its subtree follows; rounds
    already open keep their period)."""
    org = actor.organisation
    if not actor.can(Capability.RULES_CONFIGURE) or org.kind not in BUREAU_KINDS:
        raise NotPermitted(E.NOT_PERMITTED, _("Only a bureau sets the screening schedule."))
    errors: dict[str, list[str]] = {}
    if level not in Level.values:
        errors["level"] = [_("Choose a level.")]
    if frequency not in Frequency.values:
        errors["frequency"] = [_("Choose how often.")]
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    before = frequency_for(org, level)
    schedule, _created = Schedule.objects.update_or_create(
        bureau=org, level=level, defaults={"frequency": frequency, "updated_by": actor}
    )
    audit.record(
        EventType.SCREENING_SCHEDULE_SAVED,
        actor=actor,
        organisation=org,
        before={"level": level, "frequency": before},
        after={"level": level, "frequency": frequency},
    )
    return schedule


def screening_organisations() -> OrganisationQuerySet:
    return Organisation.objects.filter(status=OrganisationStatus.ACTIVE).filter(
        kind__in=[
            OrganisationKind.COMMITTEE,
            OrganisationKind.JUSTICE_OFFICE,
            OrganisationKind.DISTRICT_BUREAU,
        ]
    )


def rounds_open(on: dt.date | None = None) -> int:
    """Open the round of the period holding ``on`` (today) for every organisation that
    screens; return how many were opened. Running it again opens nothing more."""
    day = on or timezone.localdate()
    opened = 0
    for org in screening_organisations():
        level = level_of(org)
        if level is None:
            continue
        frequency = frequency_for(org, level)
        start, end = periods.bounds(frequency, day)
        _round, created = Round.objects.get_or_create(
            organisation=org,
            level=level,
            period_start=start,
            defaults={"organisation_path": org.path, "frequency": frequency, "due_on": end},
        )
        opened += created
    return opened


@transaction.atomic
def round_assign(*, actor: User, screening_round: Round, assignee: User | None) -> Round:
    """The committee's director (or the office's officer) gives the round to one of their
    people: a mediator of the committee or a grid worker of one of its grids."""
    locked = Round.objects.select_for_update().get(pk=screening_round.pk)
    if actor.organisation_id != locked.organisation_id or not actor.can(REPORT):
        raise NotPermitted(E.NOT_PERMITTED, _("Only the round's own organisation assigns it."))
    if actor.role not in (Role.COMMITTEE_DIRECTOR, Role.OFFICE_OFFICER, Role.BUREAU_OFFICER):
        raise NotPermitted(E.NOT_PERMITTED, _("Only the round's own organisation assigns it."))
    if locked.status == RoundStatus.REPORTED:
        raise ValidationFailed(
            E.REPORTED, _("This round has been reported."), fields={"assignee": []}
        )
    if assignee is not None and not (
        assignee.is_active
        and (
            assignee.organisation_id == locked.organisation_id
            or assignee.organisation.parent_id == locked.organisation_id
        )
        and assignee.can(REPORT)
    ):
        message = _("Choose someone of this organisation or of its grids.")
        raise ValidationFailed(E.INVALID, message, fields={"assignee": [message]})
    before = locked.assignee_id
    locked.assignee = assignee
    locked.version += 1
    locked.save(update_fields=["assignee", "version"])
    audit.record(
        EventType.SCREENING_ROUND_ASSIGNED,
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        before={"assignee": before},
        after={"assignee": assignee.pk if assignee else None},
    )
    return locked


def eligible_assignees(screening_round: Round) -> list[User]:
    return list(
        User.objects.filter(is_active=True)
        .filter(
            organisation_id__in=Organisation.objects.filter(
                path__startswith=screening_round.organisation_path,
                depth__lte=screening_round.organisation.depth + 1,
            ).values("pk")
        )
        .filter(
            role__in=[
                Role.MEDIATOR,
                Role.COMMITTEE_DIRECTOR,
                Role.GRID_WORKER,
                Role.OFFICE_OFFICER,
                Role.BUREAU_OFFICER,
            ]
        )
        .order_by("organisation__path", "full_name")
    )


# --- the workflow -------------------------------------------------------------------------


def _guard_report(obj: Round, actor: User | None, data: Data) -> None:
    found = obj.findings.count()
    data["findings"] = found
    nil = bool(data.get("nil"))
    if nil and found:
        raise transitions.refuse(
            E.HAS_FINDINGS,
            _("This round has findings: it cannot be a nil report."),
            "nil",
        )
    if not nil and not found:
        raise transitions.refuse(
            E.NOTHING_FOUND,
            _("Record what you found, or tick the nil report if you found nothing."),
            "nil",
        )
    data["nil"] = nil


def _apply_report(obj: Round, actor: User | None, data: Data) -> None:
    # The day of the report: today, or the day given as ``on=`` (the demo, an import).
    today = timezone.localdate(transitions.moment())
    obj.nil_report = data["nil"]
    obj.findings_count = data["findings"]
    obj.reported_on = today
    obj.reported_late = today > obj.due_on
    obj.reported_by = actor
    events.publish(
        "screening.round_reported",
        {
            "round_id": obj.pk,
            "organisation_id": obj.organisation_id,
            "reported_on": today.isoformat(),
            "findings": obj.findings_count,
            "nil": obj.nil_report,
        },
    )


def _guard_overdue(obj: Round, actor: User | None, data: Data) -> None:
    if obj.due_on >= timezone.localdate():
        raise transitions.refuse(E.NOT_DUE, _("This round is not yet due."))


MOVES: dict[str, transitions.Move[Round]] = {
    RoundAction.REPORT: transitions.Move(
        RoundAction.REPORT,
        frozenset({RoundStatus.OPEN, RoundStatus.OVERDUE}),
        RoundStatus.REPORTED,
        REPORT,
        guard=_guard_report,
        apply=_apply_report,
        extra=("nil", "findings"),
    ),
    RoundAction.MARK_OVERDUE: transitions.Move(
        RoundAction.MARK_OVERDUE,
        frozenset({RoundStatus.OPEN}),
        RoundStatus.OVERDUE,
        None,
        guard=_guard_overdue,
    ),
}


def _permit(actor: User | None, obj: Round, move: transitions.Move[Round]) -> None:
    if move.action == RoundAction.MARK_OVERDUE:
        if actor is not None:
            raise NotPermitted(E.NOT_PERMITTED, _("Only the nightly scan marks rounds overdue."))
        return
    if actor is None or not may_report(actor, obj):
        raise NotPermitted(
            E.NOT_PERMITTED, _("Only the round's own organisation or its assignee reports it.")
        )


def _record(
    actor: User | None,
    obj: Round,
    move: transitions.Move[Round],
    before: str,
    reason: str,
    recorded: Data,
) -> None:
    event = (
        EventType.SCREENING_ROUND_REPORTED
        if move.action == RoundAction.REPORT
        else EventType.SCREENING_ROUND_OVERDUE
    )
    audit.record(
        event,
        actor=actor,
        organisation=obj.organisation,
        obj=obj,
        before={"status": before},
        after={"status": obj.status, **recorded},
    )


WORKFLOW: transitions.Workflow[Round] = transitions.Workflow(
    name="screening_round",
    model=Round,
    moves=MOVES,
    log=RoundTransition,
    log_field="round",
    # The system (no actor) sees every round; a person those of their subtree or their own.
    scope=lambda actor, obj: actor is None or round_policy.allows(actor, REPORT, obj),
    messages=transitions.Messages(
        out_of_scope=gettext_lazy("This round is outside your scope."),
        not_allowed=gettext_lazy("Your role may not report screening rounds."),
        illegal=lambda status, move: _("This round has already been reported."),
        illegal_code=E.NOT_OPEN,
    ),
    record=_record,
    subject=lambda obj: {"round_id": obj.pk, "organisation_id": obj.organisation_id},
    permit=_permit,
)


def round_transition(
    *,
    actor: User | None,
    screening_round: Round,
    action: str,
    version: int | None = None,
    data: Data | None = None,
    on: dt.date | None = None,
) -> Round:
    """One move of a round; ``on``: the day it happened, when recorded later (not ahead)."""
    return WORKFLOW.move(
        actor=actor, obj=screening_round, action=action, version=version, data=data, on=on
    )


def round_report(
    *,
    actor: User,
    screening_round: Round,
    nil: bool,
    version: int | None = None,
    on: dt.date | None = None,
) -> Round:
    """Report the round: with the findings recorded in it, or as a nil report (零报告).
    ``on``: the day it was reported, when recorded later (the demo); late if after the due
    day, and never a day ahead."""
    return round_transition(
        actor=actor,
        screening_round=screening_round,
        action=RoundAction.REPORT,
        version=version,
        data={"nil": nil},
        on=on,
    )


def mark_overdue(on: dt.date | None = None) -> int:
    """The nightly scan: every open round past its due day becomes overdue (and shows on the
    overdue page of the levels above). Safe to run twice."""
    day = on or timezone.localdate()
    marked = 0
    for pk in Round.objects.filter(status=RoundStatus.OPEN, due_on__lt=day).values_list(
        "pk", flat=True
    ):
        screening_round = Round.objects.get(pk=pk)
        round_transition(
            actor=None, screening_round=screening_round, action=RoundAction.MARK_OVERDUE
        )
        marked += 1
    return marked
