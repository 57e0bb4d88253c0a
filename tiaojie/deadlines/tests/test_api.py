"""The deadlines API: the same lists and refusals as the pages, checked against the schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.schema import call
from tiaojie.cases.tests import factories as f
from tiaojie.deadlines.models import CalendarDay
from tiaojie.deadlines.tests.helpers import MEDIATOR, set_registered, user

pytestmark = pytest.mark.django_db
ApiAs = Callable[[str], Client]


def test_the_list_has_the_overdue_case_with_counts(api_as: ApiAs) -> None:
    case = set_registered(f.register(user(MEDIATOR)), timezone.localdate() - dt.timedelta(days=14))
    body = call(api_as(MEDIATOR), "get", "/deadlines", query={"level": "overdue"}).json()
    assert body["counts"]["accept"]["overdue"] >= 1
    item = next(i for i in body["results"] if i["case"]["id"] == case.pk)
    assert item["kind"] == "accept" and item["working_days"] < 0
    panel = call(api_as(MEDIATOR), "get", "/deadlines/cases/{case_id}", case_id=case.pk).json()
    assert [d["level"] for d in panel["deadlines"]] == ["overdue"]


def test_a_rule_of_nonsense_is_refused_per_field(api_as: ApiAs) -> None:
    response = call(
        api_as("demo_district"),
        "put",
        "/deadline-rules/{kind}",
        {"value": 400, "unit": "days", "near_due_days": -1},
        kind="follow_up",
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"value", "near_due_days"}
    law = call(
        api_as("demo_district"),
        "put",
        "/deadline-rules/{kind}",
        {"value": 20, "unit": "days", "near_due_days": 2},
        kind="confirmation",
    )
    assert law.status_code == 422 and "kind" in law.json()["fields"]


def test_a_year_with_a_weekday_workday_is_refused_and_a_stale_one_too(api_as: ApiAs) -> None:
    client = api_as("demo_city")
    bad = call(
        client,
        "put",
        "/calendar/{year}",
        {
            "days": [
                {"day": "2030-01-01", "kind": "holiday"},
                {"day": "2030-01-02", "kind": "workday"},
            ]
        },
        year=2030,
    )
    assert bad.status_code == 422
    assert bad.json()["fields"]["rows"][0].startswith("第 2 行")
    assert not CalendarDay.objects.filter(day__year=2030).exists()
    read = call(client, "get", "/calendar/{year}", year=2026).json()
    assert read["version"] >= 1 and len(read["days"]) > 20
    stale = call(
        client,
        "put",
        "/calendar/{year}",
        {"days": [], "version": read["version"] + 1},
        year=2026,
    )
    assert stale.status_code == 409
