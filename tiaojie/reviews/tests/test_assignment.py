"""Reviewers: never their own committee's file (refused by hand, skipped automatically), load
balanced round-robin, notified."""

from __future__ import annotations

import pytest

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.core.errors import ValidationFailed
from tiaojie.notifications.models import Notification
from tiaojie.reviews.models import CaseReview, ReviewRound
from tiaojie.reviews.services.assignment import reviewer_assign, reviewers_auto_assign
from tiaojie.reviews.tests import helpers as h


@pytest.fixture
def review_round(world: World) -> ReviewRound:
    """Three files of committee A and two of committee B, all in the sample."""
    for _ in range(3):
        h.closed_case(world.user("demo_mediator"))
    for _ in range(2):
        h.closed_case(world.user("demo_mediator_b"))
    return h.sampled(h.make_round(share=100))


def test_a_reviewer_is_never_given_their_own_committees_file(
    world: World, review_round: ReviewRound
) -> None:
    own = CaseReview.objects.filter(round=review_round, committee__name="东湖社区人民调解委员会")
    with pytest.raises(ValidationFailed) as caught:
        reviewer_assign(
            actor=world.user("demo_district"),
            review_round=review_round,
            review_ids=list(own.values_list("pk", flat=True)),
            reviewer=world.user("demo_director"),
        )
    assert caught.value.code == "own_committee"
    assert "王秀兰" in caught.value.message and "所在调委会" in caught.value.message
    assert not CaseReview.objects.filter(reviewer__isnull=False).exists()
    assert not AuditEvent.objects.filter(event_type=EventType.REVIEWER_ASSIGNED).exists()


def test_assigning_by_hand_notifies_and_starts_the_review(
    world: World, review_round: ReviewRound
) -> None:
    other = CaseReview.objects.filter(round=review_round, committee__name="梨园社区人民调解委员会")
    director = world.user("demo_director")
    done = reviewer_assign(
        actor=world.user("demo_district"),
        review_round=review_round,
        review_ids=list(other.values_list("pk", flat=True)),
        reviewer=director,
    )
    assert len(done) == 2
    assert set(other.values_list("reviewer", flat=True)) == {director.pk}
    review_round.refresh_from_db()
    assert review_round.status == "in_review"
    keys = set(Notification.objects.filter(recipient=director).values_list("key", flat=True))
    assert keys == {f"review:{r.pk}:assigned" for r in done}
    event = AuditEvent.objects.filter(event_type=EventType.REVIEWER_ASSIGNED).first()
    assert event is not None and event.after is not None
    assert event.after["reviewer"] == director.pk


def test_automatic_assignment_skips_the_own_committee_and_balances(
    world: World, review_round: ReviewRound
) -> None:
    director_a, director_b = world.user("demo_director"), world.user("director02")
    assigned, left = reviewers_auto_assign(
        actor=world.user("demo_district"),
        review_round=review_round,
        reviewers=[director_a, director_b],
    )
    assert (assigned, left) == (5, 0)
    for review in CaseReview.objects.filter(round=review_round).select_related("reviewer"):
        assert review.reviewer is not None
        assert review.reviewer.organisation_id != review.committee_id
    # A's three files can only go to B's director and B's two only to A's.
    assert CaseReview.objects.filter(reviewer=director_b).count() == 3
    assert CaseReview.objects.filter(reviewer=director_a).count() == 2


def test_automatic_assignment_spreads_the_load_evenly(
    world: World, review_round: ReviewRound
) -> None:
    pool = [world.user("demo_district"), world.user("demo_street")]
    assert reviewers_auto_assign(
        actor=world.user("demo_district"), review_round=review_round, reviewers=pool
    ) == (5, 0)
    loads = sorted(CaseReview.objects.filter(reviewer__in=pool).values_list("reviewer", flat=True))
    assert sorted(loads.count(u.pk) for u in pool) == [2, 3]


def test_a_file_nobody_may_review_is_left_unassigned(
    world: World, review_round: ReviewRound
) -> None:
    assigned, left = reviewers_auto_assign(
        actor=world.user("demo_district"),
        review_round=review_round,
        reviewers=[world.user("demo_director")],
    )
    assert (assigned, left) == (2, 3)
