"""Scoring a file: each item from 0 to its points, one decimal at most, the total summed; only
the assigned reviewer; the round closes only when every file is scored."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.reviews.models import CaseReview, ReviewRound
from tiaojie.reviews.services import rounds
from tiaojie.reviews.services.assignment import reviewers_auto_assign
from tiaojie.reviews.services.scoring import ItemScoreData, item_field, review_score
from tiaojie.reviews.tests import helpers as h


@pytest.fixture
def review_round(world: World) -> ReviewRound:
    """Two files of committee A, both given to B's director."""
    for _ in range(2):
        h.closed_case(world.user("demo_mediator"))
    review_round = h.sampled(h.make_round(share=100))
    reviewers_auto_assign(
        actor=world.user("demo_district"),
        review_round=review_round,
        reviewers=[world.user("director02")],
    )
    review_round.refresh_from_db()
    return review_round


def test_scores_out_of_bounds_are_refused_and_nothing_is_saved(
    world: World, review_round: ReviewRound
) -> None:
    review = CaseReview.objects.filter(round=review_round).first()
    assert review is not None
    items = list(review_round.sheet.items.all())
    scores = h.full_marks(review_round)
    scores[items[0].pk] = ItemScoreData(Decimal("10.5"))  # the item has 10 points
    scores[items[1].pk] = ItemScoreData(Decimal("7.25"))  # two decimal places
    scores[items[2].pk] = ItemScoreData(Decimal("-1"))
    del scores[items[3].pk]
    with pytest.raises(ValidationFailed) as caught:
        review_score(actor=world.user("director02"), review=review, scores=scores)
    assert set(caught.value.fields) == {item_field(i.pk) for i in items[:4]}
    assert "10" in caught.value.fields[item_field(items[0].pk)][0]
    review.refresh_from_db()
    assert review.status == "pending" and review.total is None and not review.scores.exists()


def test_the_total_is_the_sum_and_the_audit_keeps_numbers_only(
    world: World, review_round: ReviewRound
) -> None:
    review = CaseReview.objects.filter(round=review_round).first()
    assert review is not None
    scores = h.full_marks(review_round, minus=Decimal("2.5"))
    first = next(iter(scores))
    scores[first] = ItemScoreData(Decimal("7.5"), note="受理登记表缺当事人签名")
    saved = review_score(
        actor=world.user("director02"), review=review, scores=scores, comments="整体规范"
    )
    assert saved.total == Decimal("97.5") and saved.status == "scored"
    assert saved.scores.get(item_id=first).note == "受理登记表缺当事人签名"
    event = AuditEvent.objects.get(event_type=EventType.CASE_REVIEW_SCORED)
    assert event.after == {"status": "scored", "total": "97.5"}
    assert "签名" not in str(event.before) + str(event.after) + event.reason


def test_only_the_assigned_reviewer_scores_and_stale_forms_are_refused(
    world: World, review_round: ReviewRound
) -> None:
    review = CaseReview.objects.filter(round=review_round).first()
    assert review is not None
    with pytest.raises(NotPermitted):
        review_score(
            actor=world.user("demo_district"), review=review, scores=h.full_marks(review_round)
        )
    reviewer = world.user("director02")
    review_score(actor=reviewer, review=review, scores=h.full_marks(review_round), version=2)
    with pytest.raises(Conflict):
        review_score(actor=reviewer, review=review, scores=h.full_marks(review_round), version=2)


def test_a_round_closes_only_once_every_file_is_scored(
    world: World, review_round: ReviewRound
) -> None:
    reviews = list(CaseReview.objects.filter(round=review_round))
    reviewer = world.user("director02")
    h.score(reviewer, reviews[0].pk, h.full_marks(review_round))
    manager = world.user("demo_district")
    with pytest.raises(Conflict) as caught:
        rounds.round_transition(actor=manager, review_round=review_round, action="close")
    assert caught.value.code == "reviews_pending" and "1" in caught.value.message
    h.score(reviewer, reviews[1].pk, h.full_marks(review_round))
    closed = rounds.round_transition(actor=manager, review_round=review_round, action="close")
    assert closed.status == "closed"
    assert AuditEvent.objects.filter(event_type=EventType.REVIEW_ROUND_CLOSED).exists()
    assert [t.to_status for t in closed.transitions.all()] == ["sampled", "in_review", "closed"]
    with pytest.raises(Conflict):  # scores are final once the round closed
        h.score(reviewer, reviews[1].pk, h.full_marks(review_round))
