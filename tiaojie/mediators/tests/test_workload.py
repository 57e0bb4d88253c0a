"""A mediator's workload, kept from the case events: counts by status and the success rate
follow the cases' moves; a repeated event changes nothing; the page shows them."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from conftest import World
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.mediators.listeners import tally_case
from tiaojie.mediators.models import CaseTally
from tiaojie.mediators.tests.helpers import register
from tiaojie.mediators.workload import workload


def test_the_workload_follows_the_case_events(
    world: World, client_as: Callable[[str], Client]
) -> None:
    li = world.user("demo_mediator")
    record = register(world.user("demo_director"), name=li.full_name, user_id=li.pk)
    running = f.to_mediation(li, f.register(li))
    ended = f.to_mediation(li, f.register(li))
    transition(
        actor=li,
        case=ended,
        action="terminate",
        reason="申请人撤回调解申请",
        data={"end_reason": "party_withdraws"},
    )
    found = workload(record)
    assert found is not None and found.total == 2
    assert found.success_rate == 0 and found.average_days == 0
    assert dict(found.by_status) == {"调解中": 1, "终止调解": 1}
    tally_case(running.pk)  # the same event again: nothing changes
    assert CaseTally.objects.filter(user=li).count() == 2
    page = client_as("demo_director").get(reverse("mediators:mediator_detail", args=[record.pk]))
    assert "调解中 1" in page.content.decode()


def test_a_mediator_without_an_account_has_no_workload(world: World) -> None:
    assert workload(register(world.user("demo_director"))) is None
