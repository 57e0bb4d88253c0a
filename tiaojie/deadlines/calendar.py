"""Working-day arithmetic on the calendar tables (``CalendarYear``/``CalendarDay``).

A day is a working day when it is Monday–Friday and not a holiday, or when it is a make-up
working day. Years without a table fall back to the plain week (``covered_years`` tells which
years have one, so pages can warn), and a due date after the last table (``last_table_day``)
is *provisional*: it counts next year's holidays as working days until the State Council's
table is entered, and is recomputed then (``services.calendar``). ``WorkCalendar.load`` reads the exceptions of a span of
years in one query; the module functions load what they need each call, so a scan over many
cases should load one ``WorkCalendar`` and reuse it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import Max

from tiaojie.deadlines.models import CalendarDay, CalendarYear, DayKind

ONE_DAY = dt.timedelta(days=1)
CALENDAR_SQL = "SELECT day, kind FROM {days} WHERE day >= %s AND day <= %s"


def _date(value: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]

    @classmethod
    def load(cls, first_year: int, last_year: int | None = None) -> WorkCalendar:
        last = last_year if last_year is not None else first_year
        with connection.cursor() as cursor:
            # Plain SQL: every acceptance loads a calendar, and building the query through the
            # ORM cost more than running it (ADR 0062). The table name from the model's meta.
            cursor.execute(
                CALENDAR_SQL.format(days=connection.ops.quote_name(CalendarDay._meta.db_table)),
                [dt.date(first_year - 1, 1, 1), dt.date(last + 1, 12, 31)],
            )
            # SQLite gives the dates back as text.
            rows = [(_date(day), kind) for day, kind in cursor.fetchall()]
        holidays = frozenset(day for day, kind in rows if kind == DayKind.HOLIDAY)
        workdays = frozenset(day for day, kind in rows if kind == DayKind.WORKDAY)
        return cls(holidays, workdays)

    @cached_property
    def covered_until(self) -> dt.date | None:
        """The last day an official table covers (None: no table at all). Read on first use
        (one query), so computing due dates alone costs nothing more."""
        return last_table_day()

    def is_provisional(self, due: dt.date) -> bool:
        """Whether a due date lies past the last official table, so that holidays not yet
        published were counted as working days."""
        return self.covered_until is None or due > self.covered_until

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``count`` ≥ 0; 0 gives ``day`` itself,
        or the next working day when ``day`` is a rest day). Negative counts go back."""
        if count == 0:
            while not self.is_working_day(day):
                day += ONE_DAY
            return day
        step = ONE_DAY if count > 0 else -ONE_DAY
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def _calendar(*days: dt.date) -> WorkCalendar:
    years = [d.year for d in days]
    return WorkCalendar.load(min(years), max(years) + 1)


def is_working_day(day: dt.date) -> bool:
    return _calendar(day).is_working_day(day)


def add_working_days(day: dt.date, count: int) -> dt.date:
    # Spans at most a few months in practice: load the neighbouring years too.
    return WorkCalendar.load(day.year - 1, day.year + 1).add_working_days(day, count)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return _calendar(start, end).working_days_between(start, end)


def covered_years() -> set[int]:
    return set(CalendarYear.objects.values_list("year", flat=True))


def last_table_day() -> dt.date | None:
    """31 December of the latest year with a table; None when no year has one."""
    year = CalendarYear.objects.aggregate(last=Max("year"))["last"]
    return dt.date(year, 12, 31) if year else None
