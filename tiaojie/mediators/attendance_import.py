"""Importing training attendance: one row per person and course (培训课程, 身份证号, 学时), every
row checked, then all written in one transaction or nothing (``core.imports.run``).

A row names a course the importer can see (by title, or its number), a mediator of the
importer's organisation by ID number (the number must pass its check digit; looked up by its
blind index, never decrypted), and hours (blank: the course's hours; else more than 0 and at
most the course's). The same person twice for one course, in the file or already recorded, is
refused. Errors name the row as the spreadsheet shows it, the column as written and the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import imports
from tiaojie.core.crypto import blind_index_candidates
from tiaojie.core.errors import NotPermitted
from tiaojie.core.imports import ImportInvalid, Problems, Row, RowError, cell_text
from tiaojie.core.spreadsheets import normalise
from tiaojie.core.validators import normalise_id_number, validate_id_number
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.models import Attendance, Course, Mediator
from tiaojie.mediators.rules import mediator_policy
from tiaojie.mediators.training import courses_visible

MAX_ROWS = 20_000
# The template's headers, and the words accepted for each column.
COURSE, ID_NUMBER, NAME, HOURS = "培训课程", "身份证号", "姓名", "学时"
HEADERS = {
    "course": (COURSE, "课程", "course"),
    "id_number": (ID_NUMBER, "公民身份号码", "id number"),
    "name": (NAME, "name"),
    "hours": (HOURS, "hours"),
}
TEMPLATE_HEADERS = [COURSE, ID_NUMBER, NAME, HOURS]


@dataclass(frozen=True)
class Planned:
    course: Course
    mediator: Mediator
    hours: Decimal


def _header(table: Iterator[Row]) -> tuple[int, dict[str, int]]:
    lookup = {normalise(word): name for name, words in HEADERS.items() for word in words}
    for seen, cells in enumerate(table, start=1):
        positions = {}
        for index, cell in enumerate(cells):
            name = lookup.get(normalise(cell_text(cell)))
            if name and name not in positions:
                positions[name] = index
        if len(positions) >= 2:
            missing = [HEADERS[n][0] for n in ("course", "id_number") if n not in positions]
            if missing:
                raise ImportInvalid(
                    [RowError(seen, m, _("This column is missing.")) for m in missing]
                )
            return seen, positions
        if seen >= imports.HEADER_SEARCH_ROWS:
            break
    raise ImportInvalid([RowError(None, "", _("The file has no header row of attendance."))])


class _Checker:
    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.problems = Problems()
        self.courses: dict[str, list[Course]] = {}
        for course in courses_visible(actor):
            for key in (course.title, str(course.pk)):
                self.courses.setdefault(normalise(key), []).append(course)
        self.people = mediator_policy.visible(actor, Capability.MEDIATOR_VIEW)
        self.first: dict[tuple[int, int], int] = {}

    def course(self, line: int, text: str) -> Course | None:
        if not text:
            self.problems.add(line, COURSE, _("Give the training course."))
            return None
        found = self.courses.get(normalise(text), [])
        if not found:
            self.problems.add(
                line,
                COURSE,
                _(
                    "No training course “%(value)s” within your organisation: record the course first."
                )
                % {"value": text},
            )
            return None
        if len(found) > 1:
            self.problems.add(
                line, COURSE, _("Several courses have this title: give the course's number.")
            )
            return None
        return found[0]

    def mediator(self, line: int, text: str) -> Mediator | None:
        if not text:
            self.problems.add(line, ID_NUMBER, _("Give the mediator's ID number."))
            return None
        try:
            validate_id_number(text)
        except ValidationError as exc:
            self.problems.add(line, ID_NUMBER, " ".join(exc.messages))
            return None
        number = normalise_id_number(text)
        candidates = blind_index_candidates(number, purpose="mediator.id_number")
        person = self.people.filter(id_number_index__in=candidates).first()
        if person is None:
            self.problems.add(
                line, ID_NUMBER, _("No mediator with this ID number within your organisation.")
            )
        return person

    def hours(self, line: int, value: object, course: Course | None) -> Decimal | None:
        text = cell_text(value)
        if course is None:
            return None
        if not text:
            return course.hours
        try:
            hours = Decimal(text)
        except InvalidOperation:
            hours = None
        if hours is None or not Decimal(0) < hours <= course.hours:
            self.problems.add(
                line,
                HOURS,
                _("Hours must be more than 0 and at most the course's %(hours)s.")
                % {"hours": course.hours},
            )
            return None
        return hours

    def row(self, line: int, values: dict[str, object]) -> Planned | None:
        course = self.course(line, cell_text(values.get("course")))
        person = self.mediator(line, cell_text(values.get("id_number")))
        hours = self.hours(line, values.get("hours"), course)
        if course is None or person is None or hours is None:
            return None
        earlier = self.first.setdefault((course.pk, person.pk), line)
        if earlier != line:
            self.problems.add(
                line,
                ID_NUMBER,
                _("Row %(row)s already records this person for this course.") % {"row": earlier},
            )
            return None
        return Planned(course, person, hours)


def check(actor: User, table: Iterator[Row]) -> list[Planned]:
    """Every row checked; ``ImportInvalid`` lists every problem found."""
    if not actor.can(Capability.MEDIATOR_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not record training."))
    _line, positions = _header(table)
    checker = _Checker(actor)
    planned: list[tuple[int, Planned]] = []
    rows = 0
    for line, cells in enumerate(table, start=_line + 1):
        values = {f: cells[i] if i < len(cells) else None for f, i in positions.items()}
        if not any(cell_text(v) for v in values.values()):
            continue
        rows += 1
        found = checker.row(line, values)
        if found is not None:
            planned.append((line, found))
    if not rows:
        raise ImportInvalid([RowError(None, "", _("The file has no data rows under its headers."))])
    recorded = set(
        Attendance.objects.filter(
            course__in={p.course.pk for _l, p in planned},
            mediator__in={p.mediator.pk for _l, p in planned},
        ).values_list("course_id", "mediator_id")
    )
    for line, p in planned:
        if (p.course.pk, p.mediator.pk) in recorded:
            checker.problems.add(line, ID_NUMBER, _("Already recorded for this course."))
    order = {COURSE: 0, ID_NUMBER: 1, HOURS: 2}
    checker.problems.raise_if_any(key=lambda e: (e.row or 0, order.get(e.column, 3)))
    return [p for _l, p in planned]


def attendance_import(*, actor: User, file: IO[bytes], file_name: str) -> int:
    """Import an attendance file: all rows or none; the number of records written."""

    def write(plan: list[Planned]) -> int:
        Attendance.objects.bulk_create(
            [
                Attendance(course=p.course, mediator=p.mediator, hours=p.hours, recorded_by=actor)
                for p in plan
            ]
        )
        audit.record(
            EventType.ATTENDANCE_IMPORTED,
            actor=actor,
            after={
                "file": file_name,
                "records": len(plan),
                "courses": sorted({p.course.pk for p in plan}),
            },
        )
        return len(plan)

    table = imports.read_table(file, file_name, max_rows=MAX_ROWS)
    return imports.run(check=lambda: check(actor, iter(table)), write=write)
