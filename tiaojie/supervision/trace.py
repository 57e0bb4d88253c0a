"""责任倒查: who held a case at each step, for how long, and where a deadline was missed.

Built only from what was recorded: the case's moves (``CaseTransition``: route, return,
transfer, accept …, and the extension and mediator changes logged with them), its
supervisions and its close-out. Who held a step follows the moves in order, not timestamps
of other tables, so the trace reads the same after dates are corrected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import User
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import CaseMediator
from tiaojie.deadlines.calendar import WorkCalendar
from tiaojie.organisations.models import Organisation
from tiaojie.supervision import deadline_defaults
from tiaojie.supervision.ledger import close_out_of
from tiaojie.supervision.models import Supervision
from tiaojie.supervision.rules import HEAD_ROLES

if TYPE_CHECKING:
    from tiaojie.cases.models import Case, CaseTransition


class StepKind(models.TextChoices):
    TRIAGE = "triage", _("Triage at the governance centre")
    ACCEPTANCE = "acceptance", _("Decision on acceptance")
    MEDIATION = "mediation", _("Mediation")
    CLOSURE = "closure", _("Performance, archiving and close-out")
    SUPERVISION = "supervision", _("Answer to a supervision")


KIND_OF_STATUS = {
    CaseStatus.QUEUED: StepKind.TRIAGE,
    CaseStatus.REGISTERED: StepKind.ACCEPTANCE,
    CaseStatus.ACCEPTED: StepKind.MEDIATION,
    CaseStatus.IN_MEDIATION: StepKind.MEDIATION,
}
# Moves after which someone else holds the case (the new holder in ``data``).
HOLDER_KEYS = ("committee_id", "to_committee_id")
MEDIATOR_CHANGES = ("mediator_add", "mediator_withdraw")


@dataclass(frozen=True)
class Person:
    id: int
    name: str


@dataclass
class Step:
    """One step of the case: what it waited for, who held it, how long, against which limit."""

    kind: str
    status: str
    organisation_id: int | None
    organisation: str
    persons: list[Person]
    start: dt.datetime
    end: dt.datetime | None  # None: still running
    calendar_days: int = 0
    working_days: int = 0
    deadline: dt.date | None = None
    missed: bool = False
    days_late: int = 0
    supervision_id: int | None = None
    supervising_org: str = ""

    @property
    def label(self) -> str:
        if self.kind == StepKind.SUPERVISION:
            return str(_("Answer to the supervision of %(org)s") % {"org": self.supervising_org})
        if self.status:
            return f"{StepKind(self.kind).label}（{CaseStatus(self.status).label}）"
        return str(StepKind(self.kind).label)

    @property
    def kind_label(self) -> str:
        return str(StepKind(self.kind).label)

    @property
    def person_names(self) -> str:
        return "、".join(p.name for p in self.persons)


@dataclass
class _Cursor:
    """What is in force while walking the moves."""

    status: str
    holder_id: int | None
    start: dt.datetime
    mediators: list[int] = field(default_factory=list)


class Tracer:
    """Builds traces; one instance reuses the calendar and the organisations and staff it has
    looked up across many cases (the reports trace hundreds)."""

    def __init__(self, calendar: WorkCalendar | None = None, now: dt.datetime | None = None):
        self.now = now or timezone.now()
        today = timezone.localdate(self.now)
        self.calendar = calendar or WorkCalendar.load(today.year - 3, today.year + 1)
        self._orgs: dict[int, Organisation] = {}
        self._heads: dict[int, list[Person]] = {}
        self._accept: dict[int, tuple[int, str]] = {}

    # --- lookups --------------------------------------------------------------------------

    def _org(self, pk: int | None) -> Organisation | None:
        if pk is None:
            return None
        if pk not in self._orgs:
            found = Organisation.objects.filter(pk=pk).first()
            if found is None:
                return None
            self._orgs[pk] = found
        return self._orgs[pk]

    def _heads_of(self, org_id: int) -> list[Person]:
        """Who answers for an organisation when no mediator does: a committee's directors, a
        centre's officers."""
        if org_id not in self._heads:
            people = User.objects.filter(
                organisation_id=org_id,
                role__in=HEAD_ROLES,
            ).order_by("id")
            self._heads[org_id] = [Person(u.pk, u.full_name) for u in people]
        return self._heads[org_id]

    # --- the trace ------------------------------------------------------------------------

    def trace(self, case: Case) -> list[Step]:
        moves = list(case.transitions.all())
        assignments = list(case.mediators.all())
        names = {a.mediator_id: a.mediator.full_name for a in assignments}
        by_name = {a.mediator.full_name: a.mediator_id for a in assignments}
        presiding = [a.mediator_id for a in assignments if a.is_presiding]
        close_out = close_out_of(case)
        end_of_trace = close_out.at if close_out is not None else None

        first_status = moves[0].from_status if moves else case.status
        cursor = _Cursor(
            status=first_status,
            holder_id=self._initial_holder(case, moves, first_status),
            start=case.registered_at,
        )
        steps: list[Step] = []
        for move in moves:
            changes_holder = self._next_holder(case, move)
            changes_people = move.action in MEDIATOR_CHANGES or move.action == "start_mediation"
            changes_status = move.to_status != cursor.status
            if not (changes_holder or changes_people or changes_status):
                continue  # an extension: same holder, same people
            steps.append(self._step(case, cursor, move.at, names, presiding, moves))
            cursor.start = move.at
            cursor.status = move.to_status
            if changes_holder:
                cursor.holder_id = changes_holder
                cursor.mediators = []
            self._people(cursor, move, by_name)
        steps.append(self._step(case, cursor, None, names, presiding, moves))
        steps += self._supervisions(case, steps)
        steps = _clip(steps, end_of_trace)
        for step in steps:
            self._measure(step)
        return sorted(steps, key=lambda s: (s.start, s.kind == StepKind.SUPERVISION))

    def _initial_holder(self, case: Case, moves: list[CaseTransition], first: str) -> int | None:
        if first == CaseStatus.QUEUED and case.centre_id is not None:
            return case.centre_id
        for move in moves:
            if self._next_holder(case, move) is not None:
                raw = (move.data or {}).get("from_committee_id")
                return int(raw) if raw else case.committee_id
        return case.committee_id

    def _next_holder(self, case: Case, move: CaseTransition) -> int | None:
        if move.action == "return":
            return case.centre_id
        data: dict[str, Any] = move.data or {}
        for key in HOLDER_KEYS:
            if data.get(key):
                return int(data[key])
        return None

    def _people(self, cursor: _Cursor, move: CaseTransition, by_name: dict[str, int]) -> None:
        data: dict[str, Any] = move.data or {}
        if move.action == "start_mediation":
            cursor.mediators = [int(i) for i in data.get("mediator_ids") or []]
        elif move.action == "mediator_add" and data.get("mediator") in by_name:
            cursor.mediators.append(by_name[data["mediator"]])
        elif move.action == "mediator_withdraw" and data.get("mediator") in by_name:
            gone = by_name[data["mediator"]]
            cursor.mediators = [m for m in cursor.mediators if m != gone]

    def _step(
        self,
        case: Case,
        cursor: _Cursor,
        end: dt.datetime | None,
        names: dict[int, str],
        presiding: list[int],
        moves: list[CaseTransition],
    ) -> Step:
        org = self._org(cursor.holder_id)
        kind = KIND_OF_STATUS.get(CaseStatus(cursor.status), StepKind.CLOSURE)
        ordered = sorted(cursor.mediators, key=lambda m: m not in presiding)
        persons = [Person(m, names.get(m, "")) for m in ordered]
        if not persons and cursor.holder_id is not None:
            persons = self._heads_of(cursor.holder_id)
        step = Step(
            kind=kind,
            status=cursor.status,
            organisation_id=cursor.holder_id,
            organisation=org.name if org else "",
            persons=persons,
            start=cursor.start,
            end=end,
        )
        if kind == StepKind.ACCEPTANCE and org is not None:
            start_day = timezone.localdate(cursor.start)
            if org.pk not in self._accept:
                self._accept[org.pk] = deadline_defaults.rule(org, "accept")
            value, unit = self._accept[org.pk]
            step.deadline = deadline_defaults.due_after(value, unit, start_day, self.calendar)
        elif kind == StepKind.MEDIATION:
            step.deadline = _mediation_deadline(case, moves, end)
        return step

    def _supervisions(self, case: Case, status_steps: list[Step]) -> list[Step]:
        steps = []
        for sup in case.supervisions.all():
            held = _step_at(status_steps, sup.opened_at)
            steps.append(
                Step(
                    kind=StepKind.SUPERVISION,
                    status="",
                    organisation_id=held.organisation_id if held else case.committee_id,
                    organisation=held.organisation if held else case.committee.name,
                    persons=held.persons if held else [],
                    start=sup.opened_at,
                    end=sup.closed_at,
                    deadline=sup.deadline,
                    supervision_id=sup.pk,
                    supervising_org=sup.supervising_org.name,
                )
            )
        return steps

    def _measure(self, step: Step) -> None:
        start = timezone.localdate(step.start)
        end = timezone.localdate(step.end or self.now)
        step.calendar_days = (end - start).days
        step.working_days = self.calendar.working_days_between(start, end)
        if step.deadline is not None and end > step.deadline:
            step.missed = True
            step.days_late = self.calendar.working_days_between(step.deadline, end)


def _mediation_deadline(
    case: Case, moves: list[CaseTransition], end: dt.datetime | None
) -> dt.date | None:
    """The mediation deadline in force when the step ended: the last extension by then, else
    the due date set on acceptance."""
    deadline = case.due_on
    for move in moves:
        if move.action == "extend" and (end is None or move.at <= end):
            until = (move.data or {}).get("until")
            if until:
                deadline = dt.date.fromisoformat(str(until))
    return deadline


def _step_at(steps: list[Step], at: dt.datetime) -> Step | None:
    for step in steps:
        if step.start <= at and (step.end is None or at < step.end):
            return step
    return steps[-1] if steps else None


def _clip(steps: list[Step], end: dt.datetime | None) -> list[Step]:
    """Once closed out the case is off the ledger: nothing runs beyond that moment."""
    if end is None:
        return steps
    kept = []
    for step in steps:
        if step.start > end:
            continue
        if step.end is None or step.end > end:
            step.end = end
        kept.append(step)
    return kept


def traced(qs: QuerySet[Case]) -> QuerySet[Case]:
    """What a trace reads, fetched in a few queries for one case or a whole list of them."""
    return qs.select_related("committee", "close_out").prefetch_related(
        "transitions",
        Prefetch("mediators", queryset=CaseMediator.objects.select_related("mediator")),
        Prefetch(
            "supervisions",
            queryset=Supervision.objects.select_related("supervising_org").order_by("opened_at"),
        ),
    )


def case_trace(case: Case, calendar: WorkCalendar | None = None) -> list[Step]:
    """The accountability trace of one case, oldest step first (supervisions among them)."""
    return Tracer(calendar).trace(case)
