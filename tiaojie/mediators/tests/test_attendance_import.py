"""Importing training attendance: all rows or none, every problem by row, column and reason."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.core.imports import ImportInvalid
from tiaojie.mediators import attendance_import, training
from tiaojie.mediators.models import Attendance
from tiaojie.mediators.tests.helpers import id_number, register

TITLE = "人民调解员岗前培训"


def _xlsx(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["东湖街道培训签到表"])
    sheet.append(attendance_import.TEMPLATE_HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _setup(world: World) -> None:
    ends = timezone.localdate() - dt.timedelta(days=3)
    training.course_create(
        actor=world.user("demo_district"),
        data=training.CourseData(TITLE, "initial", "on_site", Decimal(16), ends, ends, ""),
    )
    register(world.user("demo_director"), serial=1, name="王秀兰")
    register(world.user("demo_director"), serial=2, name="刘建国")


def _run(world: World, rows: list[list[object]]) -> int:
    return attendance_import.attendance_import(
        actor=world.user("demo_director"), file=_xlsx(rows), file_name="签到.xlsx"
    )


def test_attendance_imports_with_the_courses_hours_unless_given(world: World) -> None:
    _setup(world)
    assert _run(world, [[TITLE, id_number(1), "王秀兰", ""], [TITLE, id_number(2), "", 8]]) == 2
    hours = dict(Attendance.objects.values_list("mediator__name", "hours"))
    assert hours == {"王秀兰": Decimal(16), "刘建国": Decimal(8)}
    assert AuditEvent.objects.filter(event_type=EventType.ATTENDANCE_IMPORTED).count() == 1


def test_nothing_is_written_unless_every_row_is_valid(world: World) -> None:
    _setup(world)
    bad_check = id_number(3)[:-1] + ("1" if id_number(3)[-1] != "1" else "2")
    with pytest.raises(ImportInvalid) as refused:
        _run(
            world,
            [
                [TITLE, id_number(1), "王秀兰", ""],  # row 3: fine on its own
                ["不存在的课程", id_number(2), "", ""],  # row 4
                [TITLE, bad_check, "", ""],  # row 5
                [TITLE, id_number(9), "", ""],  # row 6: nobody registered with it
                [TITLE, id_number(2), "", 20],  # row 7: more than the course's 16
                [TITLE, id_number(1), "", ""],  # row 8: row 3 again
            ],
        )
    assert not Attendance.objects.exists()
    found = [(e.row, e.column) for e in refused.value.errors]
    assert found == [
        (4, "培训课程"),
        (5, "身份证号"),
        (6, "身份证号"),
        (7, "学时"),
        (8, "身份证号"),
    ]
    reasons = {e.row: e.reason for e in refused.value.errors}
    assert "不存在的课程" in reasons[4]
    assert "16" in reasons[7]
    assert "3" in reasons[8]


def test_an_attendance_already_recorded_is_refused(world: World) -> None:
    _setup(world)
    _run(world, [[TITLE, id_number(1), "", ""]])
    with pytest.raises(ImportInvalid) as refused:
        _run(world, [[TITLE, id_number(2), "", ""], [TITLE, id_number(1), "", ""]])
    assert [(e.row, e.column) for e in refused.value.errors] == [(4, "身份证号")]
    assert Attendance.objects.count() == 1
