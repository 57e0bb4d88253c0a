"""The accountability report over a period, per organisation or per mediator: the steps they
held, how long each kind took (median and longest, in working days), the deadlines missed,
and which cases missed them."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from tiaojie.cases.models import Case
from tiaojie.organisations.models import Organisation
from tiaojie.supervision import months
from tiaojie.supervision.trace import Step, StepKind, Tracer, traced

# One report traces at most this many cases (a district's year); beyond it, narrow the period.
REPORT_CASE_LIMIT = 5000


@dataclass
class KindRow:
    kind: str
    steps: int = 0
    median_days: float = 0.0
    max_days: int = 0
    missed: int = 0

    @property
    def label(self) -> str:
        return str(StepKind(self.kind).label)


@dataclass
class CaseMisses:
    case: Case
    steps: list[Step]


@dataclass
class Report:
    start: dt.date
    end: dt.date
    rows: list[KindRow] = field(default_factory=list)
    cases: list[CaseMisses] = field(default_factory=list)
    steps: int = 0
    missed: int = 0
    truncated: bool = False


def period_cases(qs: QuerySet[Case], start: dt.date, end: dt.date) -> QuerySet[Case]:
    """Cases that may have a step starting in the period: registered by its end, and not
    closed out before it began."""
    return qs.filter(registered_at__lt=months.start_of(end + dt.timedelta(days=1))).filter(
        Q(close_out__isnull=True) | Q(close_out__closed_on__gte=start)
    )


def build(
    qs: QuerySet[Case],
    start: dt.date,
    end: dt.date,
    *,
    org_path: str | None = None,
    mediator_id: int | None = None,
) -> Report:
    """Steps starting within [start, end], held by an organisation at or below ``org_path``
    or by the mediator ``mediator_id``."""

    tracer = Tracer()
    report = Report(start, end)
    # Only the organisations at or below the subject, not every organisation of the city.
    inside = (
        set(Organisation.objects.filter(path__startswith=org_path).values_list("pk", flat=True))
        if org_path is not None
        else set()
    )
    durations: dict[str, list[int]] = {}
    rows = {kind: KindRow(kind) for kind in StepKind.values}
    cases = list(
        traced(period_cases(qs, start, end)).order_by("registered_at")[: REPORT_CASE_LIMIT + 1]
    )
    report.truncated = len(cases) > REPORT_CASE_LIMIT
    for case in cases[:REPORT_CASE_LIMIT]:
        misses = []
        for step in tracer.trace(case):
            day = timezone.localdate(step.start)
            if not start <= day <= end:
                continue
            if org_path is not None and step.organisation_id not in inside:
                continue
            if mediator_id is not None and mediator_id not in {p.id for p in step.persons}:
                continue
            row = rows[step.kind]
            row.steps += 1
            durations.setdefault(step.kind, []).append(step.working_days)
            if step.missed:
                row.missed += 1
                misses.append(step)
        if misses:
            report.cases.append(CaseMisses(case, misses))
    for kind, values in durations.items():
        rows[kind].median_days = float(statistics.median(values))
        rows[kind].max_days = max(values)
    report.rows = [row for row in rows.values() if row.steps]
    report.steps = sum(row.steps for row in report.rows)
    report.missed = sum(row.missed for row in report.rows)
    return report
