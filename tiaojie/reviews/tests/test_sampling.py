"""Sampling: a share of each committee's closed cases at random (rounded up), every major case,
every case of a flagged mediator; once each; only the bureau's area and that quarter; the same
sample when drawn again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.tests import factories as f
from tiaojie.core.errors import Conflict
from tiaojie.reviews.models import CaseReview
from tiaojie.reviews.sampling import quarter_bounds, quarter_of, share_count
from tiaojie.reviews.services import rounds
from tiaojie.reviews.tests import helpers as h


def test_share_is_rounded_up_in_whole_numbers() -> None:
    assert share_count(10, 5) == 1
    assert share_count(10, 30) == 3
    assert share_count(10, 31) == 4
    assert share_count(100, 7) == 7
    assert share_count(1, 0) == 0


def test_quarter_bounds() -> None:
    assert quarter_bounds(2026, 1) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert quarter_bounds(2026, 4) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert quarter_of(dt.date(2026, 11, 24)) == (2026, 4)


@pytest.fixture
def population(world: World) -> dict[str, list[int]]:
    """Committee A: two major and three ordinary cases closed this quarter; committee B: two
    cases of a mediator the round flags (one of them major too); and cases the round must not
    see: closed last quarter, still open, another district's."""
    a, b = world.user("demo_mediator"), world.user("demo_mediator_b")
    major = [
        h.closed_case(a, is_complex=True).pk,
        h.closed_case(a, amount=Decimal("200000")).pk,
    ]
    ordinary = [h.closed_case(a).pk for _ in range(3)]
    flagged = [h.closed_case(b).pk, h.closed_case(b, is_group=True, people_involved=12).pk]
    old = h.closed_case(a)
    start, _ = quarter_bounds(*quarter_of(timezone.localdate()))
    h.set_closed_on(old, start - dt.timedelta(days=1))
    still_open = f.to_mediation(a, f.register(a))
    elsewhere = h.closed_case(world.user("mediator05"))  # 钢花村, in 西山区
    return {
        "major": major,
        "ordinary": ordinary,
        "flagged": flagged,
        "outside": [old.pk, still_open.pk, elsewhere.pk],
    }


def test_the_sample_follows_the_rules(world: World, population: dict[str, list[int]]) -> None:
    review_round = h.sampled(h.make_round(share=10, flagged=[world.user("demo_mediator_b")]))
    reasons = dict(CaseReview.objects.filter(round=review_round).values_list("case_id", "reason"))
    assert {k for k, v in reasons.items() if v == "major"} == {
        *population["major"],
        population["flagged"][1],  # major first: each case once, with one reason
    }
    assert {k for k, v in reasons.items() if v == "flagged_mediator"} == {population["flagged"][0]}
    drawn = [k for k, v in reasons.items() if v == "sample"]
    assert len(drawn) == 1 and drawn[0] in population["ordinary"]  # ceil(10% × 5 closed) = 1
    assert not set(population["outside"]) & set(reasons)
    assert len(reasons) == 5
    assert review_round.status == "sampled" and review_round.seed
    event = AuditEvent.objects.get(event_type=EventType.REVIEW_ROUND_SAMPLED)
    assert event.after is not None
    assert event.after["sampled"] == 5 and event.after["population"] == 7
    assert event.after["by_reason"] == {"flagged_mediator": 1, "major": 3, "sample": 1}


def test_drawing_again_gives_the_same_sample(
    world: World, population: dict[str, list[int]]
) -> None:
    review_round = h.sampled(h.make_round(share=50))
    first = sorted(CaseReview.objects.filter(round=review_round).values_list("case_id", "reason"))
    seed = review_round.seed
    again = h.sampled(review_round)
    assert again.seed == seed
    assert sorted(CaseReview.objects.filter(round=again).values_list("case_id", "reason")) == first
    # ceil(50% × 5) = 3 drawn from the 3 ordinary cases of A; ceil(50% × 2) = 1 but B's two
    # cases are major (one) and ordinary (one): the ordinary one is drawn.
    assert sum(1 for _, reason in first if reason == "sample") == 4


def test_the_sample_cannot_be_redrawn_once_reviewers_are_assigned(
    world: World, population: dict[str, list[int]]
) -> None:
    from tiaojie.reviews.services.assignment import reviewers_auto_assign

    review_round = h.sampled(h.make_round())
    reviewers_auto_assign(actor=world.user("demo_district"), review_round=review_round)
    with pytest.raises(Conflict):
        rounds.round_transition(
            actor=world.user("demo_district"), review_round=review_round, action="sample"
        )


def test_a_street_office_cannot_run_a_round(world: World) -> None:
    from tiaojie.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        h.make_round(world.user("demo_street"), sheet=h.make_sheet())
