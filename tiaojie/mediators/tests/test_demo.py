"""The demo roster: grades, one person in two committees, a suspended mediator; idempotent."""

from __future__ import annotations

from conftest import World
from tiaojie.mediators import (
    associations,
    committees,
    evaluation,
    promotions,
    staffing,
    studios,
    training,
)
from tiaojie.mediators.demo import seed_mediators_demo
from tiaojie.mediators.models import Mediator


def test_the_demo_roster_loads_once(world: World) -> None:
    created = seed_mediators_demo()
    assert created >= 20
    assert seed_mediators_demo() == 0
    assert Mediator.objects.filter(user__username="demo_mediator", grade__isnull=False).exists()
    assert Mediator.objects.get(name="韩律师").memberships.count() == 2
    assert Mediator.objects.filter(status="suspended").count() == 1
    gaps = training.coverage(world.user("demo_district"))
    assert gaps.untrained and gaps.new_untrained
    report = staffing.insurance(world.user("demo_district"))
    assert [m.name for m in report.uninsured] == ["沈德顺"] and report.expiring
    assert staffing.below_norms(world.user("demo_district"))
    # A star-rated committee, one village without a committee, a promotion to decide.
    district = world.user("demo_district")
    assert [(r.committee.name, r.stars, r.status) for r in committees.ratings_for(district)] == [
        ("东湖社区人民调解委员会", 4, "approved")
    ]
    assert [loc.name for loc in committees.uncovered(district)] == ["东湖新村"]
    assert promotions.promotions_for(district).filter(status="proposed").count() == 1
    assert evaluation.evaluations_for(district).get().scores.count() >= 20
    # A brand room and the gold-medal mediator's personal studio.
    shown = {(s.name, s.kind) for s in studios.studios_for(district, state="open")}
    assert shown == {("老娘舅调解工作室", "brand"), ("金牌调解员冯振国工作室", "personal")}
    # The city's association: member committees, one that left kept as history, and officers.
    rows = associations.members_of(world.org("临江市人民调解协会"))
    current = [m for m in rows if m.left is None]
    assert sum(1 for m in current if m.committee_id) == 3
    assert [m.committee.name for m in rows if m.left is not None and m.committee] == [
        "水果湖街道人民调解委员会"
    ]
    offices = [m.role for m in current if m.mediator_id]
    assert offices[:3] == ["president", "vice_president", "secretary_general"]
    assert "韩律师" in [m.mediator.name for m in current if m.mediator]
