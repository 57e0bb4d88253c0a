"""Mediator headcounts and 预防纠纷数 in the report: what a bureau reads in the columns
调解员总数 / 专职 / 兼职 / 本年培训 and 预防纠纷数."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from conftest import World
from tiaojie.cases.tests import factories as f
from tiaojie.core.events import publish
from tiaojie.mediators import services as mediator_services
from tiaojie.mediators.choices import CourseKind, CourseMode, Employment, MembershipRole
from tiaojie.mediators.models import Attendance, Course
from tiaojie.mediators.tests.helpers import register
from tiaojie.statistics import filing, headcounts, periods, report, selectors
from tiaojie.statistics.choices import Indicator as Ind
from tiaojie.statistics.verify import differences

pytestmark = pytest.mark.django_db

A = "东湖社区人民调解委员会"
B = "梨园社区人民调解委员会"
STREET = "东湖街道司法所"
DISTRICT = "东湖区司法局"


def _value(built: report.Report, row_org: str | None, key: str) -> Decimal:
    column = next(c for c in built.columns if c.address == (headcounts.HEADCOUNT, key))
    if row_org is None:
        return built.total.value(column)
    row = next(r for r in built.rows if r.organisation and r.organisation.name == row_org)
    return row.value(column)


def test_headcounts_count_each_person_once_at_the_periods_end(world: World) -> None:
    director, street = world.user("demo_director"), world.user("demo_street")
    full = register(director, serial=1)
    part = register(director, serial=2, name="张三", employment=Employment.PART_TIME)
    # The same person serves in a second committee: counted in both rows, once in the total.
    mediator_services.membership_add(
        actor=street, mediator=full, committee=world.org(B), role=MembershipRole.MEMBER
    )
    today = timezone.localdate()
    course = Course.objects.create(
        owner=world.org(DISTRICT),
        owner_path=world.org(DISTRICT).path,
        title="年度培训",
        kind=CourseKind.INITIAL,
        mode=CourseMode.ON_SITE,
        hours=Decimal(8),
        starts_on=today,
        ends_on=today,
    )
    Attendance.objects.create(course=course, mediator=part, hours=Decimal(8), recorded_by=director)

    built = report.build(world.org(STREET), periods.month_of(today))
    assert _value(built, A, headcounts.TOTAL) == 2
    assert _value(built, B, headcounts.TOTAL) == 1
    assert _value(built, None, headcounts.TOTAL) == 2
    assert _value(built, None, headcounts.FULL_TIME) == 1
    assert _value(built, None, headcounts.PART_TIME) == 1
    assert _value(built, None, headcounts.TRAINED) == 1
    # Before anyone joined, nobody is counted.
    joined = min(full.joined_on, part.joined_on)
    before = periods.month_of(joined.replace(day=1) - dt.timedelta(days=1))
    assert _value(report.build(world.org(STREET), before), None, headcounts.TOTAL) == 0


def test_headcounts_alone_do_not_make_a_period_non_nil(world: World) -> None:
    register(world.user("demo_director"))
    assert filing.is_empty({"mediators.total": "3", "mediated": "0"})
    assert not filing.is_empty({"mediators.total": "3", "mediated": "1"})


def test_disputes_prevented_count_a_case_once_at_its_first_prevention(world: World) -> None:
    mediator = world.user("demo_mediator")
    committee, district = world.org(A), world.org(DISTRICT)
    case = f.register(mediator)
    today = timezone.localdate()
    for kind, people in (("criminal", 3), ("group_fight", 12), ("criminal", 3)):
        payload = {
            "case_id": case.pk,
            "committee_id": committee.pk,
            "kind": kind,
            "people": people,
            "recorded_on": today.isoformat(),
        }
        with transaction.atomic():  # events are delivered on commit
            publish("escalation.prevented", payload)
    period = periods.month_of(today)
    built = report.build(district, period)
    column = next(c for c in built.columns if c.address == (Ind.PREVENTED_DISPUTES, ""))
    assert built.total.value(column) == 1
    cases = selectors.figure_cases(
        world.user("demo_district"), district, period, Ind.PREVENTED_DISPUTES
    )
    assert list(cases) == [case]
    assert differences() == []
