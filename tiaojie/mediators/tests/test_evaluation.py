"""Evaluation (考核): the bureau's weights must total 100 %; each mediator of the area gets a
weighted score from cases ended, success, training hours; the page ranks them; a bad form
keeps what was typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tiaojie.cases.tests import factories as f
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.mediators import evaluation as ev
from tiaojie.mediators import training
from tiaojie.mediators.choices import Criterion
from tiaojie.mediators.tests.helpers import register

CASES_AND_HOURS = [
    ev.Weight(Criterion.CASE_COUNT, 40, Decimal(2)),
    ev.Weight(Criterion.SUCCESS_RATE, 40),
    ev.Weight(Criterion.TRAINING_HOURS, 20, Decimal(20)),
]


def test_weights_must_total_one_hundred(world: World) -> None:
    city = world.user("demo_city")
    with pytest.raises(ValidationFailed) as refused:
        ev.weights_set(
            actor=city,
            rows=[
                ev.Weight(Criterion.SUCCESS_RATE, 50),
                ev.Weight(Criterion.CASE_COUNT, 40, Decimal(10)),
            ],
        )
    assert refused.value.message == "各项权重之和须为 100%，现为 90%。"
    with pytest.raises(ValidationFailed) as refused:
        ev.weights_set(actor=city, rows=[ev.Weight(Criterion.CASE_COUNT, 100)])
    assert "满分" in refused.value.message
    with pytest.raises(NotPermitted):
        ev.weights_set(actor=world.user("demo_street"), rows=CASES_AND_HOURS)
    ev.weights_set(actor=city, rows=CASES_AND_HOURS)
    # The district has none of its own: the city's apply there.
    assert ev.weights_in_force(world.org("东湖区司法局")) == CASES_AND_HOURS


def test_an_evaluation_scores_and_ranks_the_mediators(world: World) -> None:
    today = timezone.localdate()
    director = world.user("demo_director")
    li = world.user("demo_mediator")
    worker = register(director, serial=1, name=li.full_name, user_id=li.pk)
    idle = register(director, serial=2, name="未办案")
    f.to_agreement(li, f.register(li))  # one case ended, agreed
    course = training.course_create(
        actor=director,
        data=training.CourseData("年度培训", "annual", "on_site", Decimal(10), today, today),
    )
    training.attendance_record(actor=director, course_id=course.pk, mediators=[worker, idle])
    ev.weights_set(actor=world.user("demo_city"), rows=CASES_AND_HOURS)
    done = ev.evaluation_run(
        actor=director, title="本年考核", starts_on=today - dt.timedelta(days=30), ends_on=today
    )
    scores = {s.mediator.name: s for s in ev.scores_of(done)}
    # 1 of 2 cases for full marks (50 × 40 %) + 100 % success (100 × 40 %) + 10 of 20 hours
    # (50 × 20 %) = 20 + 40 + 10.
    assert scores[li.full_name].total == Decimal("70.0")
    assert scores[li.full_name].rank == 1
    assert scores["未办案"].total == Decimal("10.0")
    assert scores["未办案"].parts[Criterion.SUCCESS_RATE] == {"value": None, "points": "0.0"}
    # Computing the same period again replaces the result, not adds one.
    again = ev.evaluation_run(
        actor=director, title="本年考核", starts_on=done.starts_on, ends_on=today
    )
    assert again.pk == done.pk and again.scores.count() == 2


def test_the_evaluation_pages(world: World, client_as: Callable[[str], Client]) -> None:
    director = world.user("demo_director")
    register(director, serial=3, name="赵调解")
    client = client_as("demo_director")
    url = reverse("mediators:evaluation_list")
    bad = client.post(
        url, {"title": "季度考核", "starts_on": "2026-06-30", "ends_on": "2026-04-01"}
    )
    assert bad.status_code == 422
    body = bad.content.decode()
    assert "期间的结束日不能早于开始日" in body and 'value="季度考核"' in body
    today = timezone.localdate()
    period = {"starts_on": (today - dt.timedelta(days=90)).isoformat(), "ends_on": today}
    done = client.post(url, {"title": "季度考核", **period})
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "赵调解" in page and "季度考核" in page
    # Another committee's mediator does not see this committee's evaluation.
    assert client_as("demo_mediator_b").get(done["Location"]).status_code == 404


def test_the_weights_page_keeps_what_was_typed(
    world: World, client_as: Callable[[str], Client]
) -> None:
    page = client_as("demo_city").post(
        reverse("mediators:evaluation_weights"), {"success_rate": "60", "satisfaction": "30"}
    )
    assert page.status_code == 422
    body = page.content.decode()
    assert "各项权重之和须为 100%，现为 90%。" in body and 'value="60"' in body
