"""What every deadline computation of one day needs: the date, the working-day calendar and
each kind's rules, loaded once (a handful of queries) and reused for every case.

A due date is a function of a case's start date (registration, the agreement's dates) and the
rule that applies to its committee. That function never decreases as the start moves later, so
"due before today" is the same as "started before some day", which the database can answer
over a million cases in one indexed comparison: ``first_start`` finds that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from tiaojie.cases.workflow import add_months as case_add_months
from tiaojie.deadlines.calendar import WorkCalendar
from tiaojie.deadlines.defaults import CASE_KINDS, RuleValue, default_rule
from tiaojie.deadlines.models import DeadlineKind, DeadlineRule, RuleUnit
from tiaojie.organisations.models import Organisation, path_ids

ONE_DAY = dt.timedelta(days=1)
# The rules of some kinds with their owners' paths (and only those owning a node's chain).
RULES_SQL = """
SELECT r.kind, o.path, r.value, r.unit, r.near_due_days
FROM {rules} r JOIN {organisations} o ON o.id = r.owner_id
WHERE r.kind IN ({kinds}) {owners}
"""
# No rule reaches further back than this (365 working days, 12 months): the search window.
MAX_SPAN = dt.timedelta(days=1200)


@dataclass(frozen=True)
class RuleBook:
    """Every rule of one kind: the bureaus' own (deepest owner first) and the default."""

    kind: str
    default: RuleValue
    owned: tuple[tuple[str, RuleValue], ...] = ()

    @classmethod
    def load(cls, kind: str, path: str = "") -> RuleBook:
        """The book of ``kind``; with a ``path``, only the rules that can apply to that node
        (its own bureau chain), which is all ``for_path(path)`` needs."""
        return cls.load_many([kind], path)[kind]

    @classmethod
    def load_many(cls, kinds: Iterable[str], path: str = "") -> dict[str, RuleBook]:
        """The books of ``kinds`` from one query (see ``load`` for ``path``)."""
        wanted = [str(kind) for kind in kinds]
        if not wanted:
            return {}
        owners = path_ids(path) if path else []
        sql = RULES_SQL.format(
            rules=connection.ops.quote_name(DeadlineRule._meta.db_table),
            organisations=connection.ops.quote_name(Organisation._meta.db_table),
            kinds=", ".join(["%s"] * len(wanted)),
            owners=f"AND r.owner_id IN ({', '.join(['%s'] * len(owners))})" if owners else "",
        )
        owned: dict[str, list[tuple[str, RuleValue]]] = {kind: [] for kind in wanted}
        with connection.cursor() as cursor:
            # Plain SQL: every acceptance reads its rules (ADR 0062). Table names from the
            # models' meta, every value a parameter.
            cursor.execute(sql, [*wanted, *owners])
            for kind, owner_path, value, unit, near_due_days in cursor.fetchall():
                owned[kind].append((owner_path, RuleValue(value, unit, near_due_days)))
        return {
            kind: cls(
                kind,
                default_rule(kind),
                tuple(sorted(pairs, key=lambda pair: -len(pair[0]))),
            )
            for kind, pairs in owned.items()
        }

    def for_path(self, path: str) -> RuleValue:
        """The rule of the nearest owner at or above ``path`` (district over city)."""
        for owner_path, rule in self.owned:
            if path.startswith(owner_path):
                return rule
        return self.default

    def branches(self, field_name: str = "committee_path") -> list[tuple[Q, RuleValue]]:
        """Disjoint conditions on the committee path, one per rule in force: a bureau's rule
        covers its subtree minus the subtrees of deeper bureaus with their own rule."""
        result: list[tuple[Q, RuleValue]] = []
        paths = [path for path, _ in self.owned]
        for path, rule in self.owned:
            condition = Q(**{f"{field_name}__startswith": path})
            for deeper in paths:
                if deeper != path and deeper.startswith(path):
                    condition &= ~Q(**{f"{field_name}__startswith": deeper})
            result.append((condition, rule))
        rest = Q()
        for path in paths:
            rest &= ~Q(**{f"{field_name}__startswith": path})
        result.append((rest, self.default))
        return result


def any_of(conditions: list[Q]) -> Q:
    """The OR of ``conditions``; matches nothing when there are none."""
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def add_months(day: dt.date, months: int) -> dt.date:

    return case_add_months(day, months)


@dataclass
class DeadlineContext:
    today: dt.date
    calendar: WorkCalendar
    books: Mapping[str, RuleBook]
    _due_cache: dict[tuple[str, dt.date, RuleValue], dt.date] = field(default_factory=dict)

    @classmethod
    def build(cls, today: dt.date | None = None) -> DeadlineContext:
        """Everything a scan or a list needs for ``today``: two queries."""
        day = today or timezone.localdate()
        # Rules reach back up to ~3 years (MAX_SPAN) and near-due windows a few weeks ahead.
        calendar = WorkCalendar.load(day.year - 3, day.year + 1)
        return cls(day, calendar, RuleBook.load_many((*CASE_KINDS, DeadlineKind.SUPERVISION)))

    @classmethod
    def for_one(cls, kind: str, start: dt.date, path: str) -> DeadlineContext:
        """Just enough to compute one ``kind`` due date from ``start`` for the node at ``path``
        (e.g. each acceptance's mediation deadline): that node's rules of that kind and the
        calendar from ``start``'s year on (rules reach at most about a year ahead)."""
        calendar = WorkCalendar.load(start.year, start.year + 1)
        return cls(start, calendar, RuleBook.load_many([kind], path))

    def due(self, kind: str, start: dt.date, rule: RuleValue) -> dt.date:
        """The due date of a ``kind`` deadline that started on ``start``. Periods in days or
        months ending on a rest day end on the next working day (民法典 art. 203); the
        confirmation window does not, as the case services count it exactly 30 days."""
        key = (kind, start, rule)
        cached = self._due_cache.get(key)
        if cached is not None:
            return cached
        if rule.unit == RuleUnit.WORKING_DAYS:
            result = self.calendar.add_working_days(start, rule.value)
        else:
            if rule.unit == RuleUnit.MONTHS:
                result = add_months(start, rule.value)
            else:
                result = start + dt.timedelta(days=rule.value)
            if kind != DeadlineKind.CONFIRMATION:
                result = self.calendar.add_working_days(result, 0)
        self._due_cache[key] = result
        return result

    def near_limit(self, rule: RuleValue) -> dt.date | None:
        """The last due date that counts as near due today; None when the rule warns never."""
        if rule.near_due_days <= 0:
            return None
        return self.calendar.add_working_days(self.today, rule.near_due_days)

    def first_start(self, kind: str, rule: RuleValue, target: dt.date) -> dt.date:
        """The earliest start whose due date is on or after ``target`` (binary search; the due
        date never decreases as the start moves later)."""
        return first_true(target - MAX_SPAN, target, lambda s: self.due(kind, s, rule) >= target)

    def last_start(self, kind: str, rule: RuleValue, target: dt.date) -> dt.date:
        """The latest start whose due date is on or before ``target``."""
        return self.first_start(kind, rule, target + ONE_DAY) - ONE_DAY

    def working_days_left(self, due: dt.date) -> int:
        """Working days from today to ``due``: negative when overdue (working days since)."""
        return self.calendar.working_days_between(self.today, due)


def first_true(lo: dt.date, hi: dt.date, test: Callable[[dt.date], bool]) -> dt.date:
    """The first day in [lo, hi] where the monotonic ``test`` holds (``hi`` if none before)."""
    while lo < hi:
        mid = lo + (hi - lo) // 2
        if test(mid):
            hi = mid
        else:
            lo = mid + ONE_DAY
    return lo


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in the installation's time zone, for comparing with timestamps."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
