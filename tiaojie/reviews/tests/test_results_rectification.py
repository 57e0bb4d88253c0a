"""Results per committee and mediator with known numbers; the rectification loop; the score
hook for evaluation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import World
from tiaojie.audit.models import AuditEvent
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.notifications.models import Notification
from tiaojie.reviews import selectors
from tiaojie.reviews.models import CaseReview, Rectification, ReviewRound
from tiaojie.reviews.services import rounds
from tiaojie.reviews.services.assignment import reviewers_auto_assign
from tiaojie.reviews.services.rectification import (
    rectification_request,
    rectification_transition,
)
from tiaojie.reviews.services.scoring import ItemScoreData
from tiaojie.reviews.tests import helpers as h


@pytest.fixture
def scored_round(world: World) -> ReviewRound:
    """A's two files scored 90 and 80 (the first item, 受理登记规范, costs the points), B's one
    file 100; every file reviewed by the district officer; the round closed."""
    for _ in range(2):
        h.closed_case(world.user("demo_mediator"))
    h.closed_case(world.user("demo_mediator_b"))
    review_round = h.sampled(h.make_round(share=100))
    manager = world.user("demo_district")
    reviewers_auto_assign(actor=manager, review_round=review_round, reviewers=[manager])
    reviews = list(
        CaseReview.objects.filter(round=review_round).order_by("committee_path", "case_id")
    )
    item = review_round.sheet.items.first()
    assert item is not None
    for review, lost in zip(reviews, ["10", "20", "0"], strict=True):
        scores = h.full_marks(review_round)
        # 受理登记规范 has 10 points: lose them there, the rest on 协议内容合法明确 (20).
        first = min(Decimal(lost), item.weight)
        scores[item.pk] = ItemScoreData(item.weight - first)
        agreement_item = review_round.sheet.items.get(label="协议内容合法明确")
        scores[agreement_item.pk] = ItemScoreData(agreement_item.weight - (Decimal(lost) - first))
        h.score(manager, review.pk, scores)
    return rounds.round_transition(actor=manager, review_round=review_round, action="close")


def test_results_per_committee_and_mediator(world: World, scored_round: ReviewRound) -> None:
    found = selectors.results(scored_round)
    by_name = {g.name: g for g in found.committees}
    a, b = by_name["东湖社区"], by_name["梨园社区"]
    assert (a.reviewed, a.average, a.minimum) == (2, Decimal("85.0"), Decimal("80.0"))
    assert (b.reviewed, b.average, b.minimum) == (1, Decimal("100.0"), Decimal("100.0"))
    # 受理登记规范 lost all its points in both of A's files (0%), 协议内容合法明确 half once (75%).
    assert a.lowest_items == [
        ("受理登记规范", Decimal("0.0")),
        ("协议内容合法明确", Decimal("75.0")),
    ]
    mediators = {g.name: g for g in found.mediators}
    assert mediators["李建国"].average == Decimal("85.0")
    assert mediators["张桂英"].reviewed == 1


def test_review_scores_for_evaluation(world: World, scored_round: ReviewRound) -> None:
    summary = selectors.review_scores(mediator=world.user("demo_mediator"))
    assert (summary.count, summary.average, summary.minimum) == (
        2,
        Decimal("85.0"),
        Decimal("80.0"),
    )
    by_committee = selectors.review_scores(committee=world.org("梨园社区人民调解委员会"))
    assert (by_committee.count, by_committee.average) == (1, Decimal("100.0"))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert selectors.review_scores(since=tomorrow).count == 0


def test_the_rectification_loop(world: World, scored_round: ReviewRound) -> None:
    manager, director = world.user("demo_district"), world.user("demo_director")
    review = CaseReview.objects.filter(round=scored_round, committee=director.organisation).first()
    assert review is not None
    with pytest.raises(ValidationFailed) as caught:
        rectification_request(
            actor=manager, review=review, instructions="补齐", deadline=timezone.localdate()
        )
    assert "deadline" in caught.value.fields
    deadline = timezone.localdate() + dt.timedelta(days=30)
    opened = rectification_request(
        actor=manager, review=review, instructions="补齐当事人签名的受理登记表", deadline=deadline
    )
    assert Notification.objects.filter(
        recipient=director, key=f"rectification:{opened.pk}:requested"
    ).exists()
    with pytest.raises(Conflict):  # one open rectification per file
        rectification_request(actor=manager, review=review, instructions="再", deadline=deadline)
    with pytest.raises(NotPermitted):  # another committee's director
        rectification_transition(
            actor=world.user("director02"), rectification=opened, action="report", text="已补"
        )
    with pytest.raises(ValidationFailed):
        rectification_transition(actor=director, rectification=opened, action="report")
    reported = rectification_transition(
        actor=director, rectification=opened, action="report", text="已补齐签名并重新装订"
    )
    assert reported.status == "reported"
    back = rectification_transition(
        actor=manager, rectification=reported, action="send_back", text="装订顺序仍不对"
    )
    assert back.status == "requested"
    assert Notification.objects.filter(recipient=director, key__contains=":returned:").exists()
    rectification_transition(
        actor=director, rectification=back, action="report", text="已按目录重装"
    )
    closed = rectification_transition(
        actor=manager, rectification=Rectification.objects.get(pk=opened.pk), action="accept"
    )
    assert closed.status == "closed" and closed.closed_at is not None
    assert [s.action for s in closed.steps.all()] == [
        "request",
        "report",
        "send_back",
        "report",
        "accept",
    ]
    events = list(
        AuditEvent.objects.filter(event_type__in=[710, 711, 712]).values_list(
            "event_type", flat=True
        )
    )
    assert sorted(events) == [710, 710, 711, 711, 712]
    for event in AuditEvent.objects.filter(event_type__in=[710, 711, 712]):
        assert "签名" not in str(event.after) + str(event.before) + event.reason


def test_open_rectifications_are_listed_for_the_committee_with_overdue_flag(
    world: World, scored_round: ReviewRound
) -> None:
    manager, director = world.user("demo_district"), world.user("demo_director")
    review = CaseReview.objects.filter(round=scored_round, committee=director.organisation).first()
    assert review is not None
    opened = rectification_request(
        actor=manager,
        review=review,
        instructions="补齐回访记录",
        deadline=timezone.localdate() + dt.timedelta(days=1),
    )
    # The deadline passes (time moves on; the request itself only takes future dates).
    Rectification.objects.filter(pk=opened.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    assert list(selectors.rectifications_for(director, open_only=True)) == [opened]
    assert list(selectors.rectifications_for(world.user("director02"), open_only=True)) == []
    assert list(selectors.rectifications_for(world.user("demo_mediator"))) == []  # no capability
