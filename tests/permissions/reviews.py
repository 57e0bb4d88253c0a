"""Permission cases for the reviews pages and API operations.

Who: officers of a bureau run reviews (REVIEW_MANAGE: demo_district, demo_city above it);
reviewers score what is assigned to them (REVIEW_SCORE: bureau and office officers, committee
directors). A reviewer sees only their own files; a bureau only its subtree's rounds (the
city's round is "not found" for the district); rectifications are seen by the committee
concerned, the offices and bureaus above it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User

MANAGERS = {p.DISTRICT: 200, p.CITY: 200}
SCORERS = {p.DIRECTOR_A: 200, p.STREET: 200, p.DISTRICT: 200, p.CITY: 200}
# A round of the city bureau: the district officer below it finds nothing.
CITY_ROUND = {p.CITY: 200, p.DISTRICT: 404}

# body() runs before params() in the API suite: a builder that needs both keeps its ids here.
_built: dict[str, Any] = {}


def _built_by_body(key: str) -> Callable[[], dict[str, Any]]:
    """The params of an operation whose body() built the object (and kept its id)."""
    return lambda: {key: _built[key]}


def _user(username: str) -> User:
    return User.objects.get(username=username)


def district_sheet() -> dict[str, int]:
    from tiaojie.reviews.tests import helpers as h

    return {"pk": h.make_sheet(_user(p.DISTRICT)).pk}


def city_round() -> dict[str, int]:
    """A draft round of 临江市司法局 on its own sheet."""
    from tiaojie.reviews.tests import helpers as h

    city = _user(p.CITY)
    return {"pk": h.make_round(city, sheet=h.make_sheet(city)).pk}


def _review_of(committee_mediator: str, reviewer: str, *, scored: bool = False) -> int:
    """A district round over one case the mediator's committee closed, its file given to
    ``reviewer`` (and scored with full marks if asked)."""
    from tiaojie.reviews.models import CaseReview
    from tiaojie.reviews.services.assignment import reviewer_assign
    from tiaojie.reviews.tests import helpers as h

    h.closed_case(_user(committee_mediator))
    review_round = h.sampled(h.make_round(share=100))
    review = CaseReview.objects.get(round=review_round)
    reviewer_assign(
        actor=_user(p.DISTRICT),
        review_round=review_round,
        review_ids=[review.pk],
        reviewer=_user(reviewer),
    )
    if scored:
        review_round.refresh_from_db()
        h.score(_user(reviewer), review.pk, h.full_marks(review_round))
    return review.pk


def review_of_director_a() -> dict[str, int]:
    """A file of committee B, assigned to committee A's director."""
    return {"pk": _review_of(p.MEDIATOR_B, p.DIRECTOR_A)}


def scored_review() -> dict[str, int]:
    return {"pk": _review_of(p.MEDIATOR_B, p.DIRECTOR_A, scored=True)}


def _rectification(committee_mediator: str, reviewer: str) -> int:
    from tiaojie.reviews.models import CaseReview
    from tiaojie.reviews.services.rectification import rectification_request

    review = CaseReview.objects.get(pk=_review_of(committee_mediator, reviewer, scored=True))
    return rectification_request(
        actor=_user(p.DISTRICT),
        review=review,
        instructions="补齐回访记录",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    ).pk


def rectification_of_b() -> dict[str, int]:
    """Rectification asked of committee B: A's director is no concern of it (404)."""
    return {"pk": _rectification(p.MEDIATOR_B, p.DIRECTOR_A)}


PAGE_CASES: list[PageCase] = [
    PageCase("reviews:round_list", expect=MANAGERS),
    PageCase("reviews:round_create", expect=MANAGERS),
    PageCase("reviews:round_detail", city_round, CITY_ROUND),
    PageCase("reviews:round_sample", city_round, {p.CITY: 302, p.DISTRICT: 404}, method="post"),
    # An empty form: the round's page again with the errors (422).
    PageCase("reviews:round_assign", city_round, {p.CITY: 422, p.DISTRICT: 404}, method="post"),
    PageCase(
        "reviews:round_auto_assign", city_round, {p.CITY: 302, p.DISTRICT: 404}, method="post"
    ),
    PageCase("reviews:round_close", city_round, {p.CITY: 302, p.DISTRICT: 404}, method="post"),
    PageCase("reviews:round_export", city_round, CITY_ROUND),
    PageCase("reviews:my_reviews", expect=SCORERS),
    # The reviewer and the round's managers (read-only); another scorer finds nothing.
    PageCase(
        "reviews:review_score",
        review_of_director_a,
        {p.DIRECTOR_A: 200, p.DISTRICT: 200, p.CITY: 200, p.STREET: 404},
    ),
    PageCase("reviews:rectification_request", scored_review, MANAGERS),
    PageCase("reviews:rectification_list", expect=SCORERS),
    PageCase(
        "reviews:rectification_detail",
        rectification_of_b,
        {p.DIRECTOR_A: 404, p.STREET: 200, p.DISTRICT: 200, p.CITY: 200},
    ),
    PageCase("reviews:sheet_list", expect=MANAGERS),
    PageCase("reviews:sheet_create", expect=MANAGERS),
    PageCase("reviews:sheet_edit", district_sheet, MANAGERS),
    PageCase("reviews:sheet_copy", district_sheet, {p.DISTRICT: 302, p.CITY: 302}, method="post"),
]


# --- API ---------------------------------------------------------------------------------------


def sheet_id() -> dict[str, int]:
    return {"sheet_id": district_sheet()["pk"]}


def round_id() -> dict[str, int]:
    return {"round_id": city_round()["pk"]}


def sheet_body() -> dict[str, Any]:
    from tiaojie.reviews.tests.helpers import DEFAULT_ITEMS

    return {
        "name": "案卷评查评分表",
        "items": [{"label": label, "weight": weight} for label, weight in DEFAULT_ITEMS],
    }


def round_body() -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "name": "本季度评查",
        "year": today.year,
        "quarter": (today.month - 1) // 3 + 1,
        "sheet_id": district_sheet()["pk"],
        "sample_share": 10,
    }


def score_body() -> dict[str, Any]:
    from tiaojie.reviews.models import CaseReview

    review = CaseReview.objects.select_related("round__sheet").get(
        pk=_review_of(p.MEDIATOR_B, p.DIRECTOR_A)
    )
    _built["review_id"] = review.pk
    items = review.round.sheet.items.all()
    return {"scores": [{"item_id": i.pk, "score": str(i.weight)} for i in items]}


def report_body() -> dict[str, Any]:
    """A rectification of committee A (reviewed by B's director) for A's director to report."""
    _built["rectification_id"] = _rectification(p.MEDIATOR_A, "director02")
    return {"action": "report", "text": "已补齐回访记录"}


API_CASES: list[ApiCase] = [
    ApiCase("review_sheets_list", "get", "/review-sheets", expect=MANAGERS, default=403),
    ApiCase(
        "review_sheets_create",
        "post",
        "/review-sheets",
        body=sheet_body,
        expect={p.DISTRICT: 201, p.CITY: 201},
        default=403,
    ),
    ApiCase(
        "review_sheets_read",
        "get",
        "/review-sheets/{sheet_id}",
        sheet_id,
        expect=MANAGERS,
        default=403,
    ),
    ApiCase(
        "review_sheets_update",
        "put",
        "/review-sheets/{sheet_id}",
        sheet_id,
        lambda: {**sheet_body(), "name": "案卷评查评分表（修订）", "version": 1},
        expect=MANAGERS,
        default=403,
    ),
    ApiCase(
        "review_sheets_copy",
        "post",
        "/review-sheets/{sheet_id}/copy",
        sheet_id,
        expect={p.DISTRICT: 201, p.CITY: 201},
        default=403,
    ),
    ApiCase("review_rounds_list", "get", "/review-rounds", expect=MANAGERS, default=403),
    ApiCase(
        "review_rounds_create",
        "post",
        "/review-rounds",
        body=round_body,
        expect={p.DISTRICT: 201, p.CITY: 201},
        default=403,
    ),
    ApiCase(
        "review_rounds_read",
        "get",
        "/review-rounds/{round_id}",
        round_id,
        expect=CITY_ROUND,
        default=403,
    ),
    ApiCase(
        "review_rounds_sample",
        "post",
        "/review-rounds/{round_id}/sample",
        round_id,
        dict,
        expect=CITY_ROUND,
        default=403,
    ),
    # A draft round cannot close (409): nothing is scored, nothing even sampled.
    ApiCase(
        "review_rounds_close",
        "post",
        "/review-rounds/{round_id}/close",
        round_id,
        dict,
        expect={p.CITY: 409, p.DISTRICT: 404},
        default=403,
    ),
    ApiCase(
        "review_rounds_reviews",
        "get",
        "/review-rounds/{round_id}/reviews",
        round_id,
        expect=CITY_ROUND,
        default=403,
    ),
    ApiCase(
        "review_rounds_assign",
        "post",
        "/review-rounds/{round_id}/assign",
        round_id,
        lambda: {"review_ids": [], "reviewer_id": _user(p.DIRECTOR_A).pk},
        expect={p.CITY: 409, p.DISTRICT: 404},
        default=403,
    ),
    ApiCase(
        "review_rounds_auto_assign",
        "post",
        "/review-rounds/{round_id}/auto-assign",
        round_id,
        dict,
        expect={p.CITY: 409, p.DISTRICT: 404},
        default=403,
    ),
    ApiCase(
        "review_rounds_results",
        "get",
        "/review-rounds/{round_id}/results",
        round_id,
        expect=CITY_ROUND,
        default=403,
    ),
    ApiCase("case_reviews_mine", "get", "/case-reviews", expect=SCORERS, default=403),
    ApiCase(
        "case_reviews_read",
        "get",
        "/case-reviews/{review_id}",
        lambda: {"review_id": review_of_director_a()["pk"]},
        expect={p.DIRECTOR_A: 200, p.DISTRICT: 200, p.CITY: 200, p.STREET: 404},
        default=403,
    ),
    # Only the assigned reviewer scores; the managers read but may not score (403).
    ApiCase(
        "case_reviews_score",
        "post",
        "/case-reviews/{review_id}/score",
        _built_by_body("review_id"),
        score_body,
        expect={p.DIRECTOR_A: 200, p.DISTRICT: 403, p.CITY: 403, p.STREET: 404},
        default=403,
    ),
    ApiCase(
        "rectifications_create",
        "post",
        "/case-reviews/{review_id}/rectification",
        lambda: {"review_id": scored_review()["pk"]},
        lambda: {
            "instructions": "补齐回访记录",
            "deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
        expect={p.DISTRICT: 201, p.CITY: 201},
        default=403,
    ),
    ApiCase("rectifications_list", "get", "/rectifications", expect=SCORERS, default=403),
    ApiCase(
        "rectifications_read",
        "get",
        "/rectifications/{rectification_id}",
        lambda: {"rectification_id": rectification_of_b()["pk"]},
        expect={p.DIRECTOR_A: 404, p.STREET: 200, p.DISTRICT: 200, p.CITY: 200},
        default=403,
    ),
    # The committee's director reports; the office above may read but not report (403).
    ApiCase(
        "rectifications_transition",
        "post",
        "/rectifications/{rectification_id}/transition",
        _built_by_body("rectification_id"),
        report_body,
        expect={p.DIRECTOR_A: 200, p.STREET: 403, p.DISTRICT: 403, p.CITY: 403},
        default=403,
    ),
]
