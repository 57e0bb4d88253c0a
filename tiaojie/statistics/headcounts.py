"""Mediator headcounts (调解员总数, 专职, 兼职, 本年参加培训) for a report, read from the mediator
registry (``tiaojie.mediators``, same layer; it knows nothing of statistics).

A headcount is a stock at the period's last day, not a flow: it is never a sum of months, so
it is not kept in the monthly cells but counted from the registry's rows when a report is
built (one query, bounded by the mediators of the subtree). A person with places in two
committees of one row counts once in that row and once in the total."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import connection

from tiaojie.mediators.choices import Employment, MediatorStatus
from tiaojie.mediators.models import Attendance, Course, Mediator, Membership
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


# Every place held on a day by a mediator serving then, under a path, with whether they
# attended a course that ended in that calendar year, on or before the day: one statement.
SERVING_SQL = """
SELECT m.mediator_id, o.path, d.employment, EXISTS (
  SELECT 1 FROM {attendance} a JOIN {course} c ON c.id = a.course_id
  WHERE a.mediator_id = m.mediator_id AND c.ends_on >= %s AND c.ends_on <= %s
)
FROM {membership} m
JOIN {organisation} o ON o.id = m.committee_id
JOIN {mediator} d ON d.id = m.mediator_id
WHERE o.path LIKE %s AND m.since <= %s AND (m.until IS NULL OR m.until > %s)
  AND d.joined_on <= %s AND (d.left_on IS NULL OR d.left_on > %s)
  AND NOT (d.status = %s AND d.left_on IS NULL)
"""


def serving(organisation: Organisation, end: dt.date) -> list[Seat]:
    """Every place held on ``end`` by a mediator who had joined and not left by then, in the
    subtree of ``organisation``; ``trained`` if they attended a course that ended in the
    calendar year of ``end``, on or before it. A mediator marked as left without a date has
    left whatever the period. Plain SQL, one statement: every report reads it, and through
    the ORM it was two queries, each costing more to build than to run (ADR 0060)."""
    tables = {
        "attendance": Attendance,
        "course": Course,
        "membership": Membership,
        "organisation": Organisation,
        "mediator": Mediator,
    }
    names = {k: connection.ops.quote_name(m._meta.db_table) for k, m in tables.items()}
    with connection.cursor() as cursor:
        # Table names from the models' meta; a path is digits and dots, no LIKE wildcard.
        cursor.execute(
            SERVING_SQL.format(**names),
            [
                dt.date(end.year, 1, 1),
                end,
                f"{organisation.path}%",
                end,
                end,
                end,
                end,
                MediatorStatus.LEFT.value,
            ],
        )
        rows = cursor.fetchall()
    return [
        Seat(pk, path, employment == Employment.FULL_TIME, bool(trained))
        for pk, path, employment, trained in rows
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
