"""Mediator headcounts (调解员总数, 专职, 兼职, 本年参加培训) for a report, read from the mediator
registry (``tiaojie.mediators``, same layer; it knows nothing of statistics).

A headcount is a stock at the period's last day, not a flow: it is never a sum of months, so
it is not kept in the monthly cells but counted from the registry's rows when a report is
built (two queries, bounded by the mediators of the subtree). A person with places in two
committees of one row counts once in that row and once in the total."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Q

from tiaojie.mediators.choices import Employment, MediatorStatus
from tiaojie.mediators.models import Attendance, Membership
from tiaojie.organisations.models import Organisation

# The report's addresses of the headcounts: (HEADCOUNT, key).
HEADCOUNT = "mediators"
TOTAL, FULL_TIME, PART_TIME, TRAINED = "total", "full_time", "part_time", "trained"
KEYS = (TOTAL, FULL_TIME, PART_TIME, TRAINED)


@dataclasses.dataclass(frozen=True)
class Seat:
    """A mediator serving at the period's end in the committee at ``path``."""

    mediator_id: int
    path: str
    full_time: bool
    trained: bool


def serving(organisation: Organisation, end: dt.date) -> list[Seat]:
    """Every place held on ``end`` by a mediator who had joined and not left by then, in the
    subtree of ``organisation``; ``trained`` if they attended a course that ended in the
    calendar year of ``end``, on or before it."""
    rows = list(
        Membership.objects.filter(
            committee__path__startswith=organisation.path,
            since__lte=end,
            mediator__joined_on__lte=end,
        )
        .filter(Q(until__isnull=True) | Q(until__gt=end))
        .filter(Q(mediator__left_on__isnull=True) | Q(mediator__left_on__gt=end))
        # A mediator marked as left without a date has left whatever the period.
        .exclude(mediator__status=MediatorStatus.LEFT, mediator__left_on__isnull=True)
        .values_list("mediator_id", "committee__path", "mediator__employment")
    )
    trained = set(
        Attendance.objects.filter(
            mediator_id__in={r[0] for r in rows},
            course__ends_on__gte=dt.date(end.year, 1, 1),
            course__ends_on__lte=end,
        ).values_list("mediator_id", flat=True)
    )
    return [
        Seat(pk, path, employment == Employment.FULL_TIME, pk in trained)
        for pk, path, employment in rows
    ]


def count(seats: list[Seat]) -> dict[str, int]:
    """The four headcounts of a set of places, each person once."""
    people: dict[int, Seat] = {}
    for seat in seats:
        people.setdefault(seat.mediator_id, seat)
    return {
        TOTAL: len(people),
        FULL_TIME: sum(1 for s in people.values() if s.full_time),
        PART_TIME: sum(1 for s in people.values() if not s.full_time),
        TRAINED: sum(1 for s in people.values() if s.trained),
    }
