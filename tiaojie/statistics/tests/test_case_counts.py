"""The live counts of the dashboard and the screen (today's intake, open, open complex and
open group disputes) follow every move of a case at once, for the organisation's subtree,
and read a few index entries in one statement whatever the subtree holds."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import F

from conftest import World
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.statistics import dashboard
from tiaojie.statistics.choices import OPEN_GROUP, STOCK_PERIOD, Indicator
from tiaojie.statistics.models import StatCell
from tiaojie.statistics.verify import differences

pytestmark = pytest.mark.django_db

DISTRICT = "东湖区司法局"
OTHER_DISTRICT = "西山区司法局"


def test_open_counts_follow_each_move(world: World, django_assert_num_queries: Any) -> None:
    mediator = world.user("demo_mediator")
    district = world.org(DISTRICT)
    before = dashboard.case_counts(district)
    plain = f.register(mediator)
    group = f.to_mediation(mediator, f.register(mediator, is_group=True))
    hard = f.with_session(
        mediator, f.to_mediation(mediator, f.register(mediator, is_complex=True, is_group=True))
    )
    with django_assert_num_queries(1):
        after = dashboard.case_counts(district)
    assert {k: after[k] - before[k] for k in after} == {
        "today": 3,
        "open": 3,
        "complex_open": 1,
        "group_open": 2,
    }
    # A mediation that failed closes the case: it leaves the open counts, not today's intake.
    transition(
        actor=mediator,
        case=Case.objects.get(pk=hard.pk),
        action="fail",
        reason="分歧大",
        data={"routes_told": True},
    )
    closed = dashboard.case_counts(district)
    assert {k: closed[k] - before[k] for k in closed} == {
        "today": 3,
        "open": 2,
        "complex_open": 0,
        "group_open": 1,
    }
    # Another district sees none of them; the stock cells are what the cases give.
    assert dashboard.case_counts(world.org(OTHER_DISTRICT)) == {
        "today": 0,
        "open": 0,
        "complex_open": 0,
        "group_open": 0,
    }
    assert differences() == []
    assert plain.pk and group.pk


def test_verify_statistics_recomputes_the_open_stock(world: World) -> None:
    """A stock cell that drifted from the cases is reported, under "now", and repaired."""
    mediator = world.user("demo_mediator")
    case = f.register(mediator, is_group=True)
    assert differences() == []
    committee = Case.objects.get(pk=case.pk).committee_id
    StatCell.objects.filter(
        organisation_id=committee, period=STOCK_PERIOD, indicator=Indicator.OPEN, key=OPEN_GROUP
    ).update(value=F("value") + 5)
    found = [str(d) for d in differences()]
    assert any(
        line.startswith(f"now (open stock) organisation {committee} open:group") for line in found
    )
    call_command("verify_statistics", "--repair", stdout=StringIO())
    assert differences() == []
    assert dashboard.case_counts(world.org(DISTRICT))["group_open"] >= 1
