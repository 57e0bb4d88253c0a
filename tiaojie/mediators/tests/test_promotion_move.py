"""A promotion keeps the path of its proposer's organisation (who sees the proposal); when that
organisation moves, the path moves with it, and nobody else's does."""

from __future__ import annotations

from conftest import World
from tiaojie.mediators import promotions, services
from tiaojie.mediators.models import Promotion
from tiaojie.mediators.tests.helpers import register
from tiaojie.organisations.moves import organisation_move

COMMITTEE = "东湖社区人民调解委员会"


def test_a_promotion_follows_its_proposers_committee_when_it_moves(world: World) -> None:
    low, _mid, high = services.ladder_set(
        actor=world.user("demo_district"), names=["初级", "中级", "高级"]
    )
    director = world.user("demo_director")
    proposal = promotions.propose(
        actor=director,
        mediator=register(director, grade_id=low.pk),
        to_grade_id=high.pk,
        grounds="连续三年考核优秀",
    )
    from_street = promotions.propose(
        actor=world.user("demo_street"),
        mediator=register(director, serial=2, grade_id=low.pk, name="赵大海"),
        to_grade_id=high.pk,
        grounds="街道推荐",
    )
    committee = world.org(COMMITTEE)
    assert Promotion.objects.get(pk=proposal.pk).owner_path == committee.path

    moved = organisation_move(
        actor=world.user("demo_city"),
        org=committee,
        parent=world.org("青山街道司法所"),
        reason="行政区划调整",
        version=committee.version,
    )
    assert Promotion.objects.get(pk=proposal.pk).owner_path == moved.path
    # The street office did not move: its own proposal stays where it was.
    assert Promotion.objects.get(pk=from_street.pk).owner_path == world.org("东湖街道司法所").path
