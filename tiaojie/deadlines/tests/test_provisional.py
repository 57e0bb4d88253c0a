"""Past the last official table a due date is provisional (issue 17: with no 2027 table, a
case accepted on 2026-12-02 counted 元旦 2027 as a working day, silently); the keepers of the
calendar are told from November; entering the table recomputes the stored due dates. And the
shipped tables agree day by day with the ``holidays`` package for 2024-2026."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import holidays
import pytest
from django.test import Client

from conftest import World
from tests.api.schema import call
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.deadlines.calendar import WorkCalendar, last_table_day
from tiaojie.deadlines.calendar_notice import calendar_missing_notify
from tiaojie.deadlines.context import DeadlineContext
from tiaojie.deadlines.official import OFFICIAL_YEARS
from tiaojie.deadlines.selectors import case_deadlines, mediation_due_on
from tiaojie.deadlines.services.calendar import calendar_year_save
from tiaojie.notifications.models import Notification

D = dt.date
pytestmark = pytest.mark.django_db
ONE_DAY = dt.timedelta(days=1)
ClientAs = Callable[[str], Client]
# Not the State Council's 2027 table, which is not published as this is written: a table
# made up for the test, with 4 January off so that the recomputed due date visibly moves.
TEST_2027 = "2027-01-01 holiday 元旦（测试用）\n2027-01-04 holiday 测试用休息日"


def test_the_shipped_tables_agree_with_the_holidays_package_day_by_day() -> None:
    ours = WorkCalendar.load(2024, 2026)
    theirs = holidays.country_holidays("CN", years=range(2024, 2027))
    day, differ, makeup = D(2024, 1, 1), [], 0
    while day <= D(2026, 12, 31):
        if ours.is_working_day(day) != theirs.is_working_day(day):
            differ.append(day)
        makeup += day in ours.workdays
        day += ONE_DAY
    assert differ == []
    assert makeup == 19 == sum(1 for d in theirs.weekend_workdays if 2024 <= d.year <= 2026)


def test_no_table_is_shipped_for_a_year_not_yet_published() -> None:
    assert 2027 not in OFFICIAL_YEARS
    assert last_table_day() == D(2026, 12, 31)


def _accepted_on(world: World, day: dt.date) -> Case:
    """A case in mediation, accepted on ``day``: its due date as the accept move computed it."""
    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    due = mediation_due_on(case.committee, day)
    Case.objects.filter(pk=case.pk).update(accepted_on=day, due_on=due)
    return Case.objects.get(pk=case.pk)


def test_a_due_date_past_the_last_table_is_provisional_until_the_table_is_entered(
    world: World, api_as: ClientAs, client_as: ClientAs
) -> None:
    case = _accepted_on(world, D(2026, 12, 2))
    # One month: 2027-01-02, a Saturday, so the next working day by the plain week.
    assert case.due_on == D(2027, 1, 4)
    ctx = DeadlineContext.build(D(2026, 12, 2))
    assert [(d.due_on, d.provisional) for d in case_deadlines(case, ctx)] == [(D(2027, 1, 4), True)]
    api = call(api_as("demo_mediator"), "get", "/deadlines/cases/{case_id}", case_id=case.pk)
    assert [(d["due_on"], d["provisional"]) for d in api.json()["deadlines"]] == [
        ("2027-01-04", True)
    ]
    panel = client_as("demo_mediator").get(f"/deadlines/cases/{case.pk}/panel/")
    html = panel.content.decode()
    assert 'data-provisional="1"' in html and "暂定" in html
    assert "2026年12月31日" in html

    calendar_year_save(actor=world.user("demo_city"), year=2027, source="", lines=TEST_2027)

    case.refresh_from_db()
    assert case.due_on == D(2027, 1, 5)
    ctx = DeadlineContext.build(D(2026, 12, 2))
    assert [(d.due_on, d.provisional) for d in case_deadlines(case, ctx)] == [
        (D(2027, 1, 5), False)
    ]
    api = call(api_as("demo_mediator"), "get", "/deadlines/cases/{case_id}", case_id=case.pk)
    assert [(d["due_on"], d["provisional"]) for d in api.json()["deadlines"]] == [
        ("2027-01-05", False)
    ]
    html = client_as("demo_mediator").get(f"/deadlines/cases/{case.pk}/panel/").content.decode()
    assert "data-provisional" not in html
    saved = AuditEvent.objects.filter(event_type=EventType.CALENDAR_YEAR_SAVED).latest("id")
    assert saved.after is not None and saved.after["recomputed"] >= 1


def test_a_due_date_inside_the_tables_is_not_provisional(world: World) -> None:
    case = _accepted_on(world, D(2026, 9, 1))
    ctx = DeadlineContext.build(D(2026, 9, 1))
    assert [d.provisional for d in case_deadlines(case, ctx)] == [False]


def test_from_november_the_calendar_keepers_are_told_once_that_next_year_is_missing(
    world: World,
) -> None:
    assert calendar_missing_notify(D(2026, 10, 31)) == 0
    assert calendar_missing_notify(D(2026, 11, 1)) >= 1
    assert calendar_missing_notify(D(2026, 11, 2)) == 0  # once, not every night
    told = Notification.objects.filter(key="calendar_missing:2027")
    assert {n.recipient.username for n in told} >= {"demo_city"}
    assert not told.exclude(recipient__role="bureau_officer").exists()
    notice = told.first()
    assert notice is not None
    assert notice.title == "2027 年的节假日安排尚未录入"
    assert notice.url == "/deadlines/calendar/2027/edit/"


def test_no_notice_once_next_years_table_is_entered(world: World) -> None:
    calendar_year_save(actor=world.user("demo_city"), year=2027, source="", lines=TEST_2027)
    assert calendar_missing_notify(D(2026, 11, 1)) == 0
    assert not Notification.objects.filter(key="calendar_missing:2027").exists()
