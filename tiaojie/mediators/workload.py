"""A mediator's workload from the tally the case-event listener keeps: cases by status,
success rate (agreed of those ended), performance rate (performed of those agreed whose
performance is known), average duration (acceptance to the end of mediation)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count

from tiaojie.cases.choices import CaseStatus, Performance
from tiaojie.mediators.models import CaseTally, Mediator

ENDED = (CaseStatus.AGREED, CaseStatus.FAILED, CaseStatus.TERMINATED)


@dataclass(frozen=True)
class Workload:
    total: int
    by_status: list[tuple[str, int]]
    success_rate: Decimal | None  # per cent
    performance_rate: Decimal | None  # per cent
    average_days: Decimal | None


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def workload(mediator: Mediator) -> Workload | None:
    """None for a mediator without an account (cases name accounts, not records)."""
    if mediator.user_id is None:
        return None
    rows = CaseTally.objects.filter(user_id=mediator.user_id)
    counts = dict(rows.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    ended = rows.filter(ended_as__in=ENDED)
    ended_count = ended.count()
    agreed = ended.filter(ended_as=CaseStatus.AGREED)
    agreed_count = agreed.count()
    known = agreed.exclude(performance=Performance.PENDING)
    performed = known.filter(performance=Performance.PERFORMED).count()
    average = rows.filter(duration_days__isnull=False).aggregate(a=Avg("duration_days"))["a"]
    return Workload(
        total=sum(counts.values()),
        by_status=[
            (str(CaseStatus(s).label), counts[s]) for s in CaseStatus.values if counts.get(s)
        ],
        success_rate=_rate(agreed_count, ended_count),
        performance_rate=_rate(performed, known.count()),
        average_days=Decimal(str(average)).quantize(Decimal("0.1"))
        if average is not None
        else None,
    )
