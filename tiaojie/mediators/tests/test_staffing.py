"""Staffing norms and insurance: committees below the bureau's norm, the nearest bureau's
norm deciding; the uninsured and the soon-expiring found."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import World
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.mediators import staffing
from tiaojie.mediators.tests.helpers import register

A = "东湖社区人民调解委员会"
B = "梨园社区人民调解委员会"


def test_committees_below_the_norm_are_listed(world: World) -> None:
    director = world.user("demo_director")
    register(director, serial=1, employment="full_time")
    register(director, serial=2, employment="part_time", name="兼职甲")
    staffing.norm_set(
        actor=world.user("demo_city"), committee_kind="", min_full_time=1, min_total=1
    )
    # The district's own norm for community committees overrides the city's.
    staffing.norm_set(
        actor=world.user("demo_district"), committee_kind="community", min_full_time=2, min_total=2
    )
    found = {s.committee.name: s for s in staffing.below_norms(world.user("demo_street"))}
    assert (found[A].full_time, found[A].total, found[A].min_full_time) == (1, 2, 2)
    assert found[B].total == 0


def test_a_norm_is_for_bureaus_and_checked(world: World) -> None:
    with pytest.raises(NotPermitted):
        staffing.norm_set(
            actor=world.user("demo_street"), committee_kind="", min_full_time=1, min_total=1
        )
    with pytest.raises(ValidationFailed):
        staffing.norm_set(
            actor=world.user("demo_district"), committee_kind="", min_full_time=3, min_total=2
        )


def test_uninsured_and_expiring_mediators(world: World) -> None:
    today = timezone.localdate()
    director = world.user("demo_director")
    covered = register(director, serial=1, name="已投保")
    ending = register(director, serial=2, name="将到期")
    bare = register(director, serial=3, name="未投保")
    lapsed = register(director, serial=4, name="已过期")
    for mediator, start, end in (
        (covered, today - dt.timedelta(days=10), today + dt.timedelta(days=300)),
        (ending, today - dt.timedelta(days=300), today + dt.timedelta(days=10)),
        (lapsed, today - dt.timedelta(days=400), today - dt.timedelta(days=1)),
    ):
        staffing.policy_add(
            actor=director,
            mediator=mediator,
            data=staffing.PolicyData("中国人寿", f"P{mediator.pk}", Decimal(200000), start, end),
        )
    report = staffing.insurance(director, today)
    assert {m.name for m in report.uninsured} == {bare.name, lapsed.name}
    assert [(m.name, end) for m, end in report.expiring] == [
        (ending.name, today + dt.timedelta(days=10))
    ]


def test_a_policy_needs_its_cover_and_dates(world: World) -> None:
    director = world.user("demo_director")
    mediator = register(director)
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as refused:
        staffing.policy_add(
            actor=director,
            mediator=mediator,
            data=staffing.PolicyData("", "", Decimal(0), today, today - dt.timedelta(days=1)),
        )
    assert set(refused.value.fields) == {"insurer", "number", "cover", "ends_on"}


def test_the_pages_show_norms_shortfalls_and_the_uninsured(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    register(world.user("demo_director"), name="未投保者")
    client_as("demo_district").post(
        reverse("mediators:staffing_norms"),
        {"committee_kind": "community", "min_full_time": "2", "min_total": "3"},
    )
    report = client_as("demo_street").get(reverse("mediators:staffing_report")).content.decode()
    assert A in report and "≥ 2" in report
    page = client_as("demo_director").get(reverse("mediators:insurance_report")).content.decode()
    assert "未投保者" in page
