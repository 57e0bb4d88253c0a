"""Saving a year of the working-day calendar: all lines checked first, nothing changed on error.

A year is edited as text, one exception a line, as it reads in the State Council's notice::

    2027-01-01 holiday 元旦
    2027-02-07 workday 春节调休上班

(``休``/``假``/``放假`` and ``班``/``上班`` are accepted for the kind as well.)

Due dates past the last table are provisional (``deadlines.calendar``). Those computed on the
fly follow a new table at once; the one stored on a case (its mediation deadline, ``due_on``)
is recomputed when the table of a year it runs into is saved. From November the officers
who keep the calendar are told when next year's table is still missing
(``calendar_missing_notify``, run by the nightly job).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.models import Case
from tiaojie.core.errors import Conflict, ValidationFailed
from tiaojie.deadlines.context import DeadlineContext
from tiaojie.deadlines.error_codes import DeadlinesErrorCode as E
from tiaojie.deadlines.models import CalendarDay, CalendarYear, DayKind, DeadlineKind
from tiaojie.deadlines.official import FIXED_HOLIDAYS, OFFICIAL_YEARS
from tiaojie.deadlines.queries import STATUSES
from tiaojie.deadlines.scan import refresh_if_alerted

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

# A year's notice has about 30 exceptions; many more is a paste gone wrong.
MAX_EXCEPTIONS = 40
FIRST_YEAR, LAST_YEAR = 2000, 2100
KIND_WORDS = {
    "holiday": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "假": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY,
    "班": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY,
}
LINE = re.compile(r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})\s+(?P<kind>\S+)(?:\s+(?P<name>.+))?$")


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    kind: str
    name: str


def _line_error(number: int, message: str) -> str:
    return _("Line %(line)d: %(reason)s") % {"line": number, "reason": message}


def parse_lines(year: int, text: str) -> tuple[list[DayRow], list[str]]:
    """The rows of ``text`` and, for every line that is wrong, a message naming it and why."""
    rows: list[DayRow] = []
    errors: list[str] = []
    seen: dict[dt.date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("\u3000", " ")
        if not line or line.startswith("#"):
            continue
        match = LINE.match(line)
        if match is None:
            errors.append(_line_error(number, _("write it as “YYYY-MM-DD holiday|workday name”.")))
            continue
        y, m, d = (int(part) for part in match["date"].split("-"))
        try:
            day = dt.date(y, m, d)
        except ValueError:
            errors.append(_line_error(number, _("%(date)s is no date.") % {"date": match["date"]}))
            continue
        kind = KIND_WORDS.get(match["kind"].lower())
        if kind is None:
            errors.append(
                _line_error(
                    number,
                    _("unknown kind “%(kind)s”: holiday or workday.") % {"kind": match["kind"]},
                )
            )
            continue
        name = (match["name"] or "").strip()[:40]
        problem = _check_day(year, day, kind)
        if problem:
            errors.append(_line_error(number, problem))
            continue
        if day in seen:
            errors.append(
                _line_error(
                    number,
                    _("%(date)s is already on line %(other)d.")
                    % {"date": day.isoformat(), "other": seen[day]},
                )
            )
            continue
        seen[day] = number
        rows.append(DayRow(day, kind, name))
    return rows, errors


def _check_day(year: int, day: dt.date, kind: str) -> str:
    if day.year != year:
        return _("%(date)s is not in %(year)d.") % {"date": day.isoformat(), "year": year}
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        return _(
            "%(date)s is a weekday already; only a Saturday or Sunday can be a make-up working day."
        ) % {"date": day.isoformat()}
    # A holiday on a weekend is allowed: notices list the whole break, weekends included.
    return ""


def _check_rows(year: int, rows: list[DayRow]) -> list[str]:
    """The same checks for rows given as data (the API), without line numbers but by date."""
    errors: list[str] = []
    seen: set[dt.date] = set()
    for index, row in enumerate(rows, start=1):
        problem = _check_day(year, row.day, row.kind)
        if row.kind not in DayKind.values:
            problem = _("unknown kind “%(kind)s”: holiday or workday.") % {"kind": row.kind}
        elif row.day in seen:
            problem = _("%(date)s is listed twice.") % {"date": row.day.isoformat()}
        if problem:
            errors.append(_("Row %(row)d: %(reason)s") % {"row": index, "reason": problem})
        seen.add(row.day)
    return errors


def year_lines(calendar: CalendarYear) -> str:
    return "\n".join(
        f"{d.day.isoformat()} {d.kind} {d.name}".rstrip() for d in calendar.days.order_by("day")
    )


def next_year_lines(year: int) -> str:
    """A start for a year without a table: the shipped one if there is, else the fixed-date
    holidays; the lunar holidays and make-up days must be typed in from the notice."""
    if year in OFFICIAL_YEARS:
        return OFFICIAL_YEARS[year].lines()
    lines = []
    for (m1, d1), (m2, d2), name in FIXED_HOLIDAYS:
        day, last = dt.date(year, m1, d1), dt.date(year, m2, d2)
        while day <= last:
            lines.append(f"{day.isoformat()} holiday {name}")
            day += dt.timedelta(days=1)
    return "\n".join(lines)


@transaction.atomic
def calendar_year_save(
    *,
    actor: User | None,
    year: int,
    source: str,
    lines: str | None = None,
    rows: list[DayRow] | None = None,
    version: int | None = None,
) -> CalendarYear:
    """Replace the table of ``year`` with ``lines`` (text) or ``rows`` (data). Every line is
    checked before anything is written; any error refuses the whole table, naming each line and
    why. An existing year needs the ``version`` the editor read."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationFailed(
            E.INVALID_YEAR,
            _("Choose a year between 2000 and 2100."),
            fields={"year": [_("Choose a year between 2000 and 2100.")]},
        )
    field = "lines" if rows is None else "rows"
    if rows is None:
        rows, errors = parse_lines(year, lines or "")
    else:
        errors = _check_rows(year, rows)
    if not errors and len(rows) > MAX_EXCEPTIONS:
        errors.append(
            _("%(count)d exceptions is more than a year has (at most %(max)d): check the table.")
            % {"count": len(rows), "max": MAX_EXCEPTIONS}
        )
    if errors:
        raise ValidationFailed(
            E.CALENDAR_INVALID,
            _("The table was not saved: correct the lines named."),
            fields={field: errors},
        )
    calendar = CalendarYear.objects.select_for_update().filter(year=year).first()
    before = None
    if calendar is None:
        if version:
            raise Conflict(E.STALE_VERSION, _("This year was removed while you were editing it."))
        calendar = CalendarYear.objects.create(year=year, source=source.strip(), updated_by=actor)
    else:
        if version is None or calendar.version != version:
            raise Conflict(
                E.STALE_VERSION,
                _("Someone else changed this year's table while you were editing. Reload it."),
            )
        before = _counts(calendar)
        calendar.days.all().delete()
        calendar.source = source.strip()
        calendar.updated_by = actor
        calendar.version += 1
        calendar.save()
    CalendarDay.objects.bulk_create(
        CalendarDay(calendar=calendar, day=r.day, kind=r.kind, name=r.name) for r in rows
    )
    recomputed = _recompute_mediation_due(year)
    audit.record(
        EventType.CALENDAR_YEAR_SAVED,
        actor=actor,
        obj=calendar,
        before=before,
        after={
            "year": year,
            **_counts(calendar),
            "version": calendar.version,
            "recomputed": recomputed,
        },
    )
    return calendar


def _recompute_mediation_due(year: int) -> int:
    """Recompute the mediation deadline stored on each open case whose period runs into
    ``year`` on the table just saved (it was provisional, or the table was corrected), and
    re-judge its alerts. Returns how many due dates moved.

    Under the rule in force now, as an acceptance today would compute it; an extension
    (``extended_to``) is a date the committee chose and stays as it is."""
    cases = Case.objects.filter(
        status__in=STATUSES[DeadlineKind.MEDIATION],
        accepted_on__isnull=False,
        accepted_on__lte=dt.date(year, 12, 31),
        due_on__gte=dt.date(year, 1, 1),
    ).only("pk", "committee_path", "accepted_on", "due_on", "status")
    ctx = DeadlineContext.build(dt.date(year, 1, 1))
    book = ctx.books[DeadlineKind.MEDIATION]
    moved = 0
    for case in cases:
        if case.accepted_on is None:  # filtered out above; tells mypy
            continue
        due = ctx.due(DeadlineKind.MEDIATION, case.accepted_on, book.for_path(case.committee_path))
        if due != case.due_on:
            Case.objects.filter(pk=case.pk).update(due_on=due)
            refresh_if_alerted(case)
            moved += 1
    return moved


def _counts(calendar: CalendarYear) -> dict[str, int]:
    days = list(calendar.days.values_list("kind", flat=True))
    return {
        "holidays": sum(1 for k in days if k == DayKind.HOLIDAY),
        "workdays": sum(1 for k in days if k == DayKind.WORKDAY),
    }


def load_official(years: list[int] | None = None, *, replace: bool = False) -> list[int]:
    """Write the shipped tables through ``calendar_year_save`` (checked and audited like an
    officer's edit), for the command; the migration loads the same data with its own loop. A
    year that already has a table is left alone unless ``replace``. Returns the years written."""
    # It lives beside ``calendar_year_save``, not in ``official``: the service checks days
    # against official's tables, so official importing the service back would be a loop.
    written: list[int] = []
    for year in years or sorted(OFFICIAL_YEARS):
        official = OFFICIAL_YEARS[year]
        existing = CalendarYear.objects.filter(year=year).first()
        if existing is not None and not replace:
            continue
        calendar_year_save(
            actor=None,
            year=year,
            source=official.source,
            lines=official.lines(),
            version=existing.version if existing is not None else None,
        )
        written.append(year)
    return written
