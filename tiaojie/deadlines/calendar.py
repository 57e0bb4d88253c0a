"""Working-day arithmetic on the calendar tables (``CalendarYear``/``CalendarDay``).

A day is a working day when it is Monday–Friday and not a holiday, or when it is a make-up
working day. Years without a table fall back to the plain week (``covered_years`` tells which
years have one, so pages can warn). ``WorkCalendar.load`` reads the exceptions of a span of
years in one query; the module functions load what they need each call, so a scan over many
cases should load one ``WorkCalendar`` and reuse it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tiaojie.deadlines.models import CalendarDay, CalendarYear, DayKind

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]

    @classmethod
    def load(cls, first_year: int, last_year: int | None = None) -> WorkCalendar:
        last = last_year if last_year is not None else first_year
        rows = CalendarDay.objects.filter(
            day__gte=dt.date(first_year - 1, 1, 1), day__lte=dt.date(last + 1, 12, 31)
        ).values_list("day", "kind")
        holidays = frozenset(day for day, kind in rows if kind == DayKind.HOLIDAY)
        workdays = frozenset(day for day, kind in rows if kind == DayKind.WORKDAY)
        return cls(holidays, workdays)

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
