"""The training pages: a course created and attendance recorded from the pages, the report's
gaps, an export of a list, the bureau's rule."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import World
from tiaojie.mediators.models import Attendance, Course, TrainingRule
from tiaojie.mediators.tests.helpers import register

Clients = Callable[[str], Client]


def test_a_course_and_its_attendance_from_the_pages(world: World, client_as: Clients) -> None:
    mediator = register(world.user("demo_director"))
    client = client_as("demo_director")
    today = timezone.localdate()
    response = client.post(
        reverse("mediators:course_create"),
        {
            "title": "年度业务培训",
            "kind": "annual",
            "mode": "online",
            "hours": "8",
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
            "teachers": "张老师",
        },
    )
    course = Course.objects.get(title="年度业务培训")
    assert response.status_code == 302
    client.post(reverse("mediators:attendance_add", args=[course.pk]), {"mediators": [mediator.pk]})
    assert Attendance.objects.get(course=course).mediator == mediator
    page = client.get(reverse("mediators:mediator_detail", args=[mediator.pk])).content.decode()
    assert "年度业务培训" in page


def test_an_empty_attendance_is_refused_with_a_message(world: World, client_as: Clients) -> None:
    today = timezone.localdate()
    client = client_as("demo_director")
    client.post(
        reverse("mediators:course_create"),
        {
            "title": "岗前培训",
            "kind": "initial",
            "mode": "on_site",
            "hours": "16",
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
        },
    )
    course = Course.objects.get()
    response = client.post(reverse("mediators:attendance_add", args=[course.pk]), {})
    assert response.status_code == 422 and "请" in response.content.decode()


def test_the_report_lists_gaps_and_exports_them(world: World, client_as: Clients) -> None:
    today = timezone.localdate()
    register(
        world.user("demo_director"), name="久未培训", joined_on=today - dt.timedelta(days=2000)
    )
    client = client_as("demo_director")
    page = client.get(reverse("mediators:training_report")).content.decode()
    assert "久未培训" in page
    export = client.get(reverse("mediators:training_export"), {"list": "untrained"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    assert [r[0] for r in sheet.iter_rows(values_only=True)][1:] == ["久未培训"]


def test_the_bureau_sets_its_training_rule(world: World, client_as: Clients) -> None:
    client_as("demo_district").post(
        reverse("mediators:training_rule"), {"period_months": "24", "new_mediator_days": "60"}
    )
    rule = TrainingRule.objects.get(bureau=world.org("东湖区司法局"))
    assert (rule.period_months, rule.new_mediator_days) == (24, 60)
