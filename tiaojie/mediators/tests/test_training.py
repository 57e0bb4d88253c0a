"""Training: courses and attendance, an unknown course refused, coverage by the bureau's rule
(not trained within the period; new mediators not trained within N days), hours per year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import World
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.mediators import training
from tiaojie.mediators.models import Mediator
from tiaojie.mediators.tests.helpers import register


def _course(world: World, ends: dt.date, hours: str = "16", username: str = "demo_district"):  # type: ignore[no-untyped-def]
    return training.course_create(
        actor=world.user(username),
        data=training.CourseData(
            title="人民调解员岗前培训",
            kind="initial",
            mode="on_site",
            hours=Decimal(hours),
            starts_on=ends - dt.timedelta(days=2),
            ends_on=ends,
            teachers="武汉大学法学院 李教授",
        ),
    )


def _joined(world: World, serial: int, days_ago: int, name: str) -> Mediator:
    today = timezone.localdate()
    return register(
        world.user("demo_director"),
        serial=serial,
        name=name,
        joined_on=today - dt.timedelta(days=days_ago),
    )


def test_an_attendance_for_an_unknown_course_is_refused(world: World) -> None:
    mediator = _joined(world, 1, 10, "王秀兰")
    with pytest.raises(ValidationFailed) as refused:
        training.attendance_record(
            actor=world.user("demo_director"), course_id=999_999, mediators=[mediator]
        )
    assert refused.value.code == "unknown_course" and "course" in refused.value.fields


def test_a_course_of_another_district_is_unknown_here(world: World) -> None:
    course = training.course_create(
        actor=world.user("demo_city"),
        data=training.CourseData(
            "全市年度培训",
            "annual",
            "online",
            Decimal(8),
            timezone.localdate(),
            timezone.localdate(),
        ),
    )
    mediator = _joined(world, 1, 10, "王秀兰")
    # The city's course is visible below it: recording works.
    training.attendance_record(
        actor=world.user("demo_director"), course_id=course.pk, mediators=[mediator]
    )
    with pytest.raises(Conflict):
        training.attendance_record(
            actor=world.user("demo_director"), course_id=course.pk, mediators=[mediator]
        )


def test_a_course_needs_its_hours_and_dates_in_order(world: World) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as refused:
        training.course_create(
            actor=world.user("demo_district"),
            data=training.CourseData(
                "x", "annual", "online", Decimal(0), today, today - dt.timedelta(days=1)
            ),
        )
    assert set(refused.value.fields) == {"hours", "ends_on"}
    with pytest.raises(NotPermitted):
        _course(world, today, username="demo_mediator")


def test_coverage_finds_the_gaps_by_the_bureaus_rule(world: World) -> None:
    today = timezone.localdate()
    training.rule_set(actor=world.user("demo_district"), period_months=36, new_mediator_days=30)
    veteran = _joined(world, 1, 2000, "老调解员")  # joined five years ago
    trained_long_ago = _joined(world, 2, 2000, "四年前受训")
    fresh = _joined(world, 3, 60, "新调解员")  # joined two months ago, untrained
    newest = _joined(world, 4, 10, "刚入职")  # within 30 days: not yet due
    trained = _joined(world, 5, 2000, "今年受训")
    old = _course(world, today - dt.timedelta(days=4 * 365))
    recent = _course(world, today - dt.timedelta(days=20))
    director = world.user("demo_director")
    training.attendance_record(actor=director, course_id=old.pk, mediators=[trained_long_ago])
    training.attendance_record(actor=director, course_id=recent.pk, mediators=[trained])
    found = training.coverage(director, today)
    assert {g.mediator for g in found.untrained} == {veteran, trained_long_ago}
    assert {g.mediator for g in found.new_untrained} == {fresh}
    assert newest not in {g.mediator for g in found.new_untrained}
    assert (found.period_months, found.new_mediator_days) == (36, 30)


def test_hours_per_mediator_per_year(world: World) -> None:
    today = timezone.localdate()
    a = _joined(world, 1, 400, "甲")
    b = _joined(world, 2, 400, "乙")
    director = world.user("demo_director")
    for hours in ("16", "8"):
        course = _course(world, today.replace(month=1, day=20), hours)
        training.attendance_record(actor=director, course_id=course.pk, mediators=[a])
    course = _course(world, today.replace(month=1, day=20), "4")
    training.attendance_record(actor=director, course_id=course.pk, mediators=[b], hours=Decimal(2))
    rows = {
        r.mediator.name: (r.hours, r.courses) for r in training.hours_in_year(director, today.year)
    }
    assert rows == {"甲": (Decimal(24), 2), "乙": (Decimal(2), 1)}
