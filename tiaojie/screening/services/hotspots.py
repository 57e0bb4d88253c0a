"""Hotspots: disputes registered per organisation × dispute type × week, each against its own
baseline (the mean plus two standard deviations of its prior ``BASELINE_WEEKS`` weeks); a week
above its baseline, with at least ``MIN_COUNT`` disputes, is a hotspot."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from tiaojie.cases.models import Case

BASELINE_WEEKS = 8
SPREAD = 2.0
MIN_COUNT = 3


@dataclass(frozen=True)
class Cell:
    committee_id: int
    committee: str
    dispute_type: str
    week: dt.date  # its Monday
    count: int
    baseline: float  # mean + 2 sd of the prior weeks
    mean: float

    @property
    def hot(self) -> bool:
        return self.count >= MIN_COUNT and self.count > self.baseline


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def cells(path: str, week: dt.date | None = None) -> list[Cell]:
    """Every organisation × type with disputes in ``week`` (default: this week) under
    ``path``, with its baseline; hotspots first."""
    this = monday(week or timezone.localdate())
    first = this - dt.timedelta(weeks=BASELINE_WEEKS)
    rows = Case.objects.filter(
        committee_path__startswith=path,
        registered_at__date__gte=first,
        registered_at__date__lt=this + dt.timedelta(days=7),
    ).values_list("committee_id", "committee__name", "dispute_type__name", "registered_at")
    counts: Counter[tuple[int, str, str, dt.date]] = Counter()
    for committee_id, name, type_name, at in rows:
        day = timezone.localtime(at).date()
        counts[(committee_id, name, type_name, monday(day))] += 1
    out = []
    for (committee_id, name, type_name, when), count in counts.items():
        if when != this:
            continue
        prior = [
            counts.get((committee_id, name, type_name, this - dt.timedelta(weeks=k)), 0)
            for k in range(1, BASELINE_WEEKS + 1)
        ]
        mean = statistics.fmean(prior)
        baseline = mean + SPREAD * statistics.pstdev(prior)
        out.append(Cell(committee_id, name, type_name, this, count, baseline, mean))
    return sorted(out, key=lambda c: (not c.hot, -(c.count - c.baseline), c.committee))
