"""The review pages as users meet them: create and sample a round, assign (refusals shown),
score a file that shows no personal data, results export, sheets, rectification."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.tests import factories as f
from tiaojie.reviews.models import CaseReview, ReviewRound, ScoreSheet
from tiaojie.reviews.services.assignment import reviewer_assign
from tiaojie.reviews.services.scoring import item_field
from tiaojie.reviews.tests import helpers as h

Clients = Callable[[str], Client]


@pytest.fixture
def review_round(world: World) -> ReviewRound:
    """One file of committee A (parties 王建华, 李秀英), sampled, given to B's director."""
    h.closed_case(world.user("demo_mediator"))
    review_round = h.sampled(h.make_round(share=100))
    review = CaseReview.objects.get(round=review_round)
    reviewer_assign(
        actor=world.user("demo_district"),
        review_round=review_round,
        review_ids=[review.pk],
        reviewer=world.user("director02"),
    )
    review_round.refresh_from_db()
    return review_round


def test_creating_and_sampling_a_round_from_the_pages(world: World, client_as: Clients) -> None:
    h.closed_case(world.user("demo_mediator"))
    sheet = h.make_sheet()
    client = client_as("demo_district")
    today = timezone.localdate()
    response = client.post(
        reverse("reviews:round_create"),
        {
            "name": "本季度评查",
            "year": today.year,
            "quarter": (today.month - 1) // 3 + 1,
            "sheet": sheet.pk,
            "sample_share": 100,
            "major_amount_threshold": "100000",
        },
    )
    review_round = ReviewRound.objects.get(name="本季度评查")
    assert response.status_code == 302
    client.post(reverse("reviews:round_sample", args=[review_round.pk]))
    html = client.get(reverse("reviews:round_detail", args=[review_round.pk])).content.decode()
    case_number = CaseReview.objects.get(round=review_round).case.number
    assert case_number in html and 'data-status="sampled"' in html


def test_a_refused_round_keeps_what_was_typed(world: World, client_as: Clients) -> None:
    sheet = h.make_sheet()
    response = client_as("demo_district").post(
        reverse("reviews:round_create"),
        {
            "name": "明年的评查",
            "year": 2099,
            "quarter": 1,
            "sheet": sheet.pk,
            "sample_share": 10,
            "major_amount_threshold": "100000",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "明年的评查" in html and 'class="error"' in html
    assert not ReviewRound.objects.exists()


def test_assigning_a_file_to_its_own_committee_is_refused_on_the_page(
    world: World, client_as: Clients
) -> None:
    h.closed_case(world.user("demo_mediator"))
    review_round = h.sampled(h.make_round(share=100))
    review = CaseReview.objects.get(round=review_round)
    response = client_as("demo_district").post(
        reverse("reviews:round_assign", args=[review_round.pk]),
        {"reviews": [review.pk], "reviewer": world.user("demo_director").pk},
    )
    assert response.status_code == 422
    assert "王秀兰" in response.content.decode()
    review.refresh_from_db()
    assert review.reviewer is None


def test_the_score_page_shows_the_file_without_personal_data(
    world: World, client_as: Clients, review_round: ReviewRound
) -> None:
    review = CaseReview.objects.get(round=review_round)
    html = (
        client_as("director02")
        .get(reverse("reviews:review_score", args=[review.pk]))
        .content.decode()
    )
    assert review.case.number in html
    assert "王某" in html and "李某" in html
    assert "王建华" not in html and f.WANG_ID not in html and "13812345678" not in html
    assert "漏水" not in html  # no narrative or summary
    assert reverse("cases:case_detail", args=[review.case_id]) not in html  # no case rights


def test_scoring_on_the_page_keeps_input_when_refused_then_saves(
    world: World, client_as: Clients, review_round: ReviewRound
) -> None:
    review = CaseReview.objects.get(round=review_round)
    items = list(review_round.sheet.items.all())
    data = {item_field(i.pk): str(i.weight) for i in items} | {
        "version": review.version,
        "comments": "卷宗整体规范",
    }
    data[item_field(items[0].pk)] = "12"
    client = client_as("director02")
    url = reverse("reviews:review_score", args=[review.pk])
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 422 and 'value="12"' in html and "卷宗整体规范" in html
    data[item_field(items[0].pk)] = "8.5"
    assert client.post(url, data).status_code == 302
    review.refresh_from_db()
    assert review.total == 98.5 and review.status == "scored"
    mine = client.get(reverse("reviews:my_reviews")).content.decode()
    assert review.case.number in mine and "98.5" in mine


def test_a_reviewer_sees_only_their_own_files(
    world: World, client_as: Clients, review_round: ReviewRound
) -> None:
    review = CaseReview.objects.get(round=review_round)
    url = reverse("reviews:review_score", args=[review.pk])
    assert client_as("director03").get(url).status_code == 404
    assert client_as("demo_street").get(url).status_code == 404
    manager_view = client_as("demo_district").get(url)
    assert manager_view.status_code == 200 and b'name="comments"' not in manager_view.content
    assert (
        review.case.number
        not in client_as("director03").get(reverse("reviews:my_reviews")).content.decode()
    )


def test_results_export_is_audited(
    world: World, client_as: Clients, review_round: ReviewRound
) -> None:
    response = client_as("demo_district").get(
        reverse("reviews:round_export", args=[review_round.pk])
    )
    assert response.status_code == 200 and response.content[:2] == b"PK"
    event = AuditEvent.objects.get(event_type=EventType.REVIEW_RESULTS_EXPORTED)
    assert event.after == {"format": "xlsx", "rows": 0}


def test_a_sheet_with_the_wrong_total_is_refused_on_the_page(
    world: World, client_as: Clients
) -> None:
    data = {
        "name": "试行评分表",
        "active": "on",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-0-label": "受理登记规范",
        "items-0-weight": "40",
        "items-1-label": "立卷归档规范",
        "items-1-weight": "50",
    }
    response = client_as("demo_district").post(reverse("reviews:sheet_create"), data)
    html = response.content.decode()
    assert "90" in html and "试行评分表" in html and "立卷归档规范" in html
    assert not ScoreSheet.objects.exists()
    data["items-2-label"], data["items-2-weight"] = "回访及时", "10"
    assert client_as("demo_district").post(reverse("reviews:sheet_create"), data).status_code == 302
    assert ScoreSheet.objects.get().items.count() == 3


def test_copying_a_sheet_opens_the_copy(world: World, client_as: Clients) -> None:
    sheet = h.make_sheet()
    response = client_as("demo_district").post(reverse("reviews:sheet_copy", args=[sheet.pk]))
    copy = ScoreSheet.objects.exclude(pk=sheet.pk).get()
    assert response["Location"] == reverse("reviews:sheet_edit", args=[copy.pk])


def test_the_director_reports_rectification_from_the_page(
    world: World, client_as: Clients, review_round: ReviewRound
) -> None:
    review = CaseReview.objects.get(round=review_round)
    h.score(world.user("director02"), review.pk, h.full_marks(review_round))
    manager = client_as("demo_district")
    deadline = timezone.localdate() + dt.timedelta(days=20)
    response = manager.post(
        reverse("reviews:rectification_request", args=[review.pk]),
        {"instructions": "补充回访记录", "deadline": deadline.isoformat()},
    )
    assert response.status_code == 302
    director = client_as("demo_director")
    listing = director.get(reverse("reviews:rectification_list")).content.decode()
    assert review.case.number in listing
    url = response["Location"]
    refused = director.post(url, {"action": "report", "text": ""})
    assert refused.status_code == 422
    director.post(url, {"action": "report", "text": "已补充回访记录"})
    assert 'data-status="reported"' in director.get(url).content.decode()
    assert client_as("director02").get(url).status_code == 404
