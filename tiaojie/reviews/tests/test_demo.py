"""The demo shows a completed review round, an open rectification for 东湖社区, and a file of
another committee waiting for demo_director; running it twice adds nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from conftest import World
from tiaojie.cases.demo import seed_demo_cases
from tiaojie.reviews.demo import seed_reviews_demo
from tiaojie.reviews.models import CaseReview, Rectification, ReviewRound, ScoreSheet


def test_the_demo_review(world: World) -> None:
    seed_demo_cases(count=120)
    seed_reviews_demo()
    sheet = ScoreSheet.objects.get()
    assert sum(i.weight for i in sheet.items.all()) == 100
    done = ReviewRound.objects.get(status="closed")
    reviews = CaseReview.objects.filter(round=done)
    assert reviews.exists() and not reviews.filter(status="pending").exists()
    assert len(set(reviews.values_list("total", flat=True))) > 1  # varying scores
    for review in reviews.select_related("reviewer"):
        assert review.reviewer is not None
        assert review.reviewer.organisation_id != review.committee_id
    rectification = Rectification.objects.get()
    assert rectification.committee == world.org("东湖社区人民调解委员会")
    assert rectification.status == "requested"
    current = ReviewRound.objects.get(status="in_review")
    mine = CaseReview.objects.get(round=current, reviewer=world.user("demo_director"))
    assert mine.status == "pending" and mine.committee != world.org("东湖社区人民调解委员会")

    counts = (
        ReviewRound.objects.count(),
        CaseReview.objects.count(),
        Rectification.objects.count(),
    )
    seed_reviews_demo()
    assert (
        ReviewRound.objects.count(),
        CaseReview.objects.count(),
        Rectification.objects.count(),
    ) == counts


def test_the_demo_pages(world: World, client_as: Callable[[str], Client]) -> None:
    seed_demo_cases(count=120)
    seed_reviews_demo()
    done = ReviewRound.objects.get(status="closed")
    html = client_as("demo_district").get(reverse("reviews:round_detail", args=[done.pk]))
    assert html.status_code == 200
    assert "东湖社区" in html.content.decode() and 'id="results"' in html.content.decode()
    mine = CaseReview.objects.get(reviewer=world.user("demo_director"))
    page = client_as("demo_director").get(reverse("reviews:my_reviews")).content.decode()
    assert mine.case.number in page
    score = client_as("demo_director").get(reverse("reviews:review_score", args=[mine.pk]))
    assert score.status_code == 200 and b'name="comments"' in score.content
    listing = client_as("demo_director").get(reverse("reviews:rectification_list")).content.decode()
    assert Rectification.objects.get().review.case.number in listing
