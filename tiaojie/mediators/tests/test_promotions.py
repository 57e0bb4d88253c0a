"""Grade promotion and honours: a proposal to a higher grade of the mediator's ladder, decided
by a bureau on the transition engine (approval changes the grade); bad grades refused in
Chinese; honours recorded once a year."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.mediators import promotions, services
from tiaojie.mediators.models import Mediator, PromotionTransition
from tiaojie.mediators.tests.helpers import register


def _ladder(world: World) -> list:  # type: ignore[type-arg]
    return services.ladder_set(actor=world.user("demo_district"), names=["初级", "中级", "高级"])


def test_an_approved_promotion_changes_the_grade(world: World) -> None:
    low, _mid, high = _ladder(world)
    director = world.user("demo_director")
    mediator = register(director, grade_id=low.pk)
    proposal = promotions.propose(
        actor=director, mediator=mediator, to_grade_id=high.pk, grounds="连续三年考核优秀"
    )
    with pytest.raises(Conflict):  # one open proposal at a time
        promotions.propose(actor=director, mediator=mediator, to_grade_id=high.pk, grounds="再报")
    with pytest.raises(NotPermitted):  # a justice office does not decide
        promotions.decide(actor=world.user("demo_street"), promotion=proposal, action="approve")
    promotions.decide(actor=world.user("demo_district"), promotion=proposal, action="approve")
    assert Mediator.objects.get(pk=mediator.pk).grade == high
    assert PromotionTransition.objects.get(promotion=proposal).to_status == "approved"


def test_a_grade_off_the_ladder_or_not_higher_is_refused(world: World) -> None:
    low, mid, _high = _ladder(world)
    director = world.user("demo_director")
    mediator = register(director, grade_id=mid.pk)
    foreign = services.ladder_set(actor=world.user("demo_city"), names=["一级"])[0]
    with pytest.raises(ValidationFailed) as refused:
        promotions.propose(actor=director, mediator=mediator, to_grade_id=foreign.pk, grounds="x")
    assert refused.value.fields["to_grade"] == [
        "该等级不在本局设定的调解员等级中（可选等级：初级、中级、高级）。"
    ]
    with pytest.raises(ValidationFailed) as refused:
        promotions.propose(actor=director, mediator=mediator, to_grade_id=low.pk, grounds="x")
    assert "须高于现等级（中级）" in refused.value.fields["to_grade"][0]


def test_a_rejection_needs_a_reason(world: World) -> None:
    _low, mid, _high = _ladder(world)
    director = world.user("demo_director")
    proposal = promotions.propose(
        actor=director, mediator=register(director), to_grade_id=mid.pk, grounds="业绩突出"
    )
    with pytest.raises(ValidationFailed):
        promotions.decide(actor=world.user("demo_district"), promotion=proposal, action="reject")
    promotions.decide(
        actor=world.user("demo_district"), promotion=proposal, action="reject", reason="年限不足"
    )
    assert Mediator.objects.get(pk=proposal.mediator_id).grade is None


def test_honours_are_recorded_once_a_year(world: World) -> None:
    director = world.user("demo_director")
    mediator = register(director)
    promotions.honour_add(
        actor=director, mediator=mediator, title="gold", year=2025, awarded_by="武汉市司法局"
    )
    with pytest.raises(Conflict):
        promotions.honour_add(
            actor=director, mediator=mediator, title="gold", year=2025, awarded_by="武汉市司法局"
        )
    with pytest.raises(ValidationFailed) as refused:
        promotions.honour_add(
            actor=director, mediator=mediator, title="other", year=1900, awarded_by=""
        )
    assert set(refused.value.fields) == {"name", "year", "awarded_by"}
    assert [h.mediator.name for h in promotions.honours_for(world.user("demo_city"))] == ["王秀兰"]


def test_the_pages_propose_and_approve(world: World, client_as: Callable[[str], Client]) -> None:
    low, mid, _high = _ladder(world)
    mediator = register(world.user("demo_director"), grade_id=low.pk)
    director = client_as("demo_director")
    url = reverse("mediators:promotion_propose", args=[mediator.pk])
    bad = director.post(url, {"grounds": "调解成功率高"})
    assert bad.status_code == 422 and "调解成功率高" in bad.content.decode()
    assert director.post(url, {"to_grade": mid.pk, "grounds": "调解成功率高"}).status_code == 302
    bureau = client_as("demo_district")
    listing = bureau.get(reverse("mediators:promotion_list")).content.decode()
    assert "调解成功率高" in listing
    proposal = mediator.promotions.get()
    bureau.post(
        reverse("mediators:promotion_decide", args=[proposal.pk]),
        {"action": "approve", "version": proposal.version},
    )
    assert Mediator.objects.get(pk=mediator.pk).grade == mid
