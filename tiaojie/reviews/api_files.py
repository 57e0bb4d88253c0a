"""API of a reviewer's files and of rectification, mounted on ``reviews.api.router``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.core.api import ERRORS, PAGE, PAGE_SIZE, Page, caller, paginate
from tiaojie.reviews import selectors
from tiaojie.reviews.models import CaseReview, Rectification
from tiaojie.reviews.presenters import (
    rectification_out,
    review_detail_out,
    review_out,
)
from tiaojie.reviews.rules import rectification_policy, review_policy
from tiaojie.reviews.schemas import (
    RectificationIn,
    RectificationMoveIn,
    RectificationOut,
    ReviewDetailOut,
    ReviewOut,
    ScoreIn,
)
from tiaojie.reviews.services import rectification, scoring

files_router = Router()


# --- a reviewer's files ---------------------------------------------------------------------------


def _review(request: HttpRequest, review_id: int) -> tuple[User, CaseReview]:
    """The caller's own file; a round manager's any file of their rounds (read-only)."""
    user = caller(request, Capability.REVIEW_SCORE)
    base = CaseReview.objects.select_related("round", "case", "committee", "reviewer")
    found = review_policy.visible(user, Capability.REVIEW_SCORE, base).filter(pk=review_id).first()
    if found is None:
        found = (
            review_policy.visible(user, Capability.REVIEW_MANAGE, base).filter(pk=review_id).first()
        )
    if found is None:
        raise Http404
    return user, found


@files_router.get(
    "/case-reviews",
    response={200: Page[ReviewOut], **ERRORS},
    operation_id="case_reviews_mine",
)
def case_reviews_mine(
    request: HttpRequest, status: str = "", page: int = PAGE, page_size: int = PAGE_SIZE
) -> dict[str, Any]:
    """The files assigned to the caller, pending first."""
    user = caller(request, Capability.REVIEW_SCORE)
    found = selectors.reviews_assigned_to(user).select_related("reviewer")
    if status:
        found = found.filter(status=status)
    result = paginate(found, page, page_size)
    result["results"] = [review_out(r) for r in result["results"]]
    return result


@files_router.get(
    "/case-reviews/{id:review_id}",
    response={200: ReviewDetailOut, **ERRORS},
    operation_id="case_reviews_read",
)
def case_reviews_read(request: HttpRequest, review_id: int) -> dict[str, Any]:
    """The file to review (no personal data), the sheet's items and the scores so far."""
    user, review = _review(request, review_id)
    return review_detail_out(review, user)


@files_router.post(
    "/case-reviews/{id:review_id}/score",
    response={200: ReviewDetailOut, **ERRORS},
    operation_id="case_reviews_score",
)
def case_reviews_score(request: HttpRequest, review_id: int, body: ScoreIn) -> dict[str, Any]:
    """Score every item (0 to its points, one decimal); refusals name ``item_<id>``."""
    user, review = _review(request, review_id)
    saved = scoring.review_score(
        actor=user,
        review=review,
        scores={s.item_id: scoring.ItemScoreData(s.score, s.note) for s in body.scores},
        comments=body.comments,
        version=body.version,
    )
    return review_detail_out(saved, user)


# --- rectification -----------------------------------------------------------------------------


@files_router.post(
    "/case-reviews/{id:review_id}/rectification",
    response={201: RectificationOut, **ERRORS},
    operation_id="rectifications_create",
)
def rectifications_create(
    request: HttpRequest, review_id: int, body: RectificationIn
) -> Status[dict[str, Any]]:
    """The round's bureau asks the file's committee to rectify it by ``deadline``."""
    user = caller(request, Capability.REVIEW_MANAGE)
    review = review_policy.get_or_404(user, Capability.REVIEW_MANAGE, pk=review_id)
    created = rectification.rectification_request(
        actor=user, review=review, instructions=body.instructions, deadline=body.deadline
    )
    return Status(201, rectification_out(created))


@files_router.get(
    "/rectifications",
    response={200: Page[RectificationOut], **ERRORS},
    operation_id="rectifications_list",
)
def rectifications_list(
    request: HttpRequest, open_only: bool = True, page: int = PAGE, page_size: int = PAGE_SIZE
) -> dict[str, Any]:
    """The committee's own (for its director), or all of the caller's rounds and area."""
    user = caller(request, Capability.REVIEW_SCORE)
    found = paginate(selectors.rectifications_for(user, open_only=open_only), page, page_size)
    found["results"] = [rectification_out(r) for r in found["results"]]
    return found


def _rectification(request: HttpRequest, rectification_id: int) -> tuple[User, Rectification]:
    user = caller(request, Capability.REVIEW_SCORE)
    found = rectification_policy.get_or_404(
        user,
        Capability.REVIEW_SCORE,
        base=Rectification.objects.select_related("review__case", "committee"),
        pk=rectification_id,
    )
    return user, found


@files_router.get(
    "/rectifications/{id:rectification_id}",
    response={200: RectificationOut, **ERRORS},
    operation_id="rectifications_read",
)
def rectifications_read(request: HttpRequest, rectification_id: int) -> dict[str, Any]:
    return rectification_out(_rectification(request, rectification_id)[1])


@files_router.post(
    "/rectifications/{id:rectification_id}/transition",
    response={200: RectificationOut, **ERRORS},
    operation_id="rectifications_transition",
)
def rectifications_transition(
    request: HttpRequest, rectification_id: int, body: RectificationMoveIn
) -> dict[str, Any]:
    """report (the committee's director), accept or send_back (the round's bureau)."""
    user, found = _rectification(request, rectification_id)
    moved = rectification.rectification_transition(
        actor=user, rectification=found, action=body.action, text=body.text, version=body.version
    )
    return rectification_out(moved)
