"""The dashboard and the screen show the open supervised cases (挂牌督办) and the overdue time
limits of the organisation's subtree, as the supervision and deadlines lists count them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World
from tiaojie.cases.tests import factories as f
from tiaojie.statistics import dashboard
from tiaojie.supervision.models import Supervision
from tiaojie.supervision.tests.helpers import flag

pytestmark = pytest.mark.django_db

DISTRICT = "东湖区司法局"
OTHER_DISTRICT = "西山区司法局"
STREET = "东湖街道司法所"


def test_supervised_and_overdue_counts_follow_the_subtree(
    world: World, client_as: Callable[[str], Client]
) -> None:
    mediator, officer = world.user("demo_mediator"), world.user("demo_district")
    first = f.to_mediation(mediator, f.register(mediator))
    second = f.to_mediation(mediator, f.register(mediator))
    flag(officer, first)
    late = flag(officer, second)
    # The second supervision's deadline has passed: it shows as supervised and overdue.
    Supervision.objects.filter(pk=late.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=2)
    )
    city = world.user("demo_city")
    live = dashboard.live_counts(world.org(DISTRICT), city)
    assert (live["supervised"], live["supervised_overdue"]) == (2, 1)
    elsewhere = dashboard.live_counts(world.org(OTHER_DISTRICT), city)
    assert (elsewhere["supervised"], elsewhere["supervised_overdue"]) == (0, 0)

    client = client_as("demo_district")
    page = client.get("/statistics/dashboard/").content.decode()
    assert 'id="live-supervised"><a href="/supervision/?state=open&amp;scope=area">2</a>' in page
    # The amount's cells say 元 themselves; the heading does not say it again.
    assert "<th>涉及金额</th>" in page and "涉及金额（元）" not in page
    screen = client.get("/statistics/screen/").content.decode()
    assert 'id="kpi-supervised"' in screen and 'id="kpi-supervised-overdue"' in screen


def test_overdue_is_the_deadlines_lists_count(world: World) -> None:
    mediator, officer = world.user("demo_mediator"), world.user("demo_district")
    case = f.to_mediation(mediator, f.register(mediator))
    before = dashboard.live_counts(world.org(STREET), officer)["overdue"]
    # The mediation's month ran out long ago.
    type(case).objects.filter(pk=case.pk).update(
        accepted_on=timezone.localdate() - dt.timedelta(days=120),
        due_on=timezone.localdate() - dt.timedelta(days=90),
    )
    after = dashboard.live_counts(world.org(STREET), officer)
    assert after["overdue"] > before
    assert dashboard.live_counts(world.org(OTHER_DISTRICT), world.user("demo_city"))["overdue"] == 0
