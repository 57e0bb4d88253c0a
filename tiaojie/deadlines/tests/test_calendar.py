"""The working-day calendar: the shipped tables, the arithmetic across 春节 and 调休, and the
year editor's refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.core.errors import Conflict, ValidationFailed
from tiaojie.deadlines import calendar
from tiaojie.deadlines.calendar import WorkCalendar
from tiaojie.deadlines.models import CalendarDay, CalendarYear
from tiaojie.deadlines.official import OFFICIAL_YEARS
from tiaojie.deadlines.services.calendar import calendar_year_save, load_official, next_year_lines

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_shipped_years_are_loaded_by_the_migration() -> None:
    assert {2024, 2025, 2026} <= calendar.covered_years()
    spring = CalendarDay.objects.get(day=D(2026, 2, 15))
    assert (spring.kind, spring.name) == ("holiday", "春节")
    assert CalendarDay.objects.get(day=D(2026, 2, 14)).kind == "workday"


def test_a_make_up_saturday_is_a_working_day_and_the_festival_is_not() -> None:
    cal = WorkCalendar.load(2026)
    assert cal.is_working_day(D(2026, 2, 14))  # Saturday worked before 春节
    assert not cal.is_working_day(D(2026, 2, 16))  # Monday of 春节
    assert not cal.is_working_day(D(2026, 2, 21))  # an ordinary Saturday
    assert cal.is_working_day(D(2026, 2, 24))  # back at work


def test_adding_working_days_across_spring_festival() -> None:
    cal = WorkCalendar.load(2026)
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    # Friday 13th + 2: Saturday 14th is worked, then nine days off until Tuesday 24th.
    assert cal.add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert cal.working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2


def test_adding_working_days_across_national_day() -> None:
    cal = WorkCalendar.load(2025)
    # 2025: 10月1日–8日 off, Saturday 11th worked.
    assert cal.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert cal.add_working_days(D(2025, 10, 10), 1) == D(2025, 10, 11)
    assert cal.add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)  # Sunday worked


def test_a_year_saves_from_text_lines_with_an_audit_of_counts(world: World) -> None:
    officer = world.user("demo_district")
    saved = calendar_year_save(
        actor=officer,
        year=2027,
        source="国办发明电〔2026〕",
        lines="2027-01-01 holiday 元旦\n\n2027-02-07 workday 春节调休上班\n2027-02-06 休 春节",
    )
    assert saved.days.count() == 3
    assert WorkCalendar.load(2027).is_working_day(D(2027, 2, 7))
    event = AuditEvent.objects.filter(event_type=EventType.CALENDAR_YEAR_SAVED).latest("id")
    assert event.after == {
        "year": 2027,
        "holidays": 2,
        "workdays": 1,
        "version": 1,
        "recomputed": 0,
    }


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("2027-02-30 holiday 春节", "2027-02-30 is no date"),
        ("2028-01-01 holiday 元旦", "is not in 2027"),
        ("元旦 放假一天", "write it as"),
        ("2027-01-01 rest 元旦", "unknown kind"),
        ("2027-02-03 workday 调休", "only a Saturday or Sunday"),
        ("2027-01-01 holiday 又一个元旦", "already on line 1"),
    ],
)
def test_a_wrong_line_refuses_the_whole_year_naming_it(
    world: World, settings: Any, line: str, reason: str
) -> None:
    settings.LANGUAGE_CODE = "en"
    before = CalendarYear.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        calendar_year_save(
            actor=world.user("demo_district"),
            year=2027,
            source="",
            lines=f"2027-01-01 holiday 元旦\n{line}",
        )
    messages = refused.value.fields["lines"]
    assert len(messages) == 1
    assert messages[0].startswith("Line 2:") and reason in messages[0]
    assert CalendarYear.objects.count() == before
    assert not CalendarDay.objects.filter(day__year=2027).exists()


def test_more_than_forty_exceptions_is_suspicious(world: World) -> None:
    lines = "\n".join(f"2027-03-{d:02d} holiday 假" for d in range(1, 32))
    lines += "\n" + "\n".join(f"2027-04-{d:02d} holiday 假" for d in range(1, 11))
    with pytest.raises(ValidationFailed):
        calendar_year_save(actor=world.user("demo_district"), year=2027, source="", lines=lines)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_stale_edit_is_refused_and_keeps_the_table(world: World) -> None:
    officer = world.user("demo_district")
    first = calendar_year_save(actor=officer, year=2027, source="", lines="2027-01-01 holiday 元旦")
    calendar_year_save(
        actor=officer, year=2027, source="", lines="2027-01-01 休 元旦", version=first.version
    )
    with pytest.raises(Conflict):
        calendar_year_save(actor=officer, year=2027, source="", lines="", version=first.version)
    assert CalendarDay.objects.filter(day__year=2027).count() == 1


def test_starting_next_year_prefills_the_fixed_holidays_only() -> None:
    lines = next_year_lines(2031).splitlines()
    assert lines[0] == "2031-01-01 holiday 元旦"
    assert "2031-05-05 holiday 劳动节" in lines and "2031-10-07 holiday 国庆节" in lines
    assert len(lines) == 1 + 5 + 7


def test_loading_the_official_tables_twice_changes_nothing() -> None:
    assert load_official() == []
    assert CalendarDay.objects.filter(day__year=2025).count() == len(OFFICIAL_YEARS[2025].days())
    assert load_official([2025], replace=True) == [2025]
    assert CalendarDay.objects.filter(day__year=2025).count() == len(OFFICIAL_YEARS[2025].days())
