"""API of reviews: the same services and selectors as the pages (django-ninja, /api/v1/)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.core.api import ERRORS, PAGE, PAGE_SIZE, Page, caller, paginate
from tiaojie.reviews import selectors
from tiaojie.reviews.api_files import files_router
from tiaojie.reviews.models import ReviewRound, ScoreSheet
from tiaojie.reviews.presenters import (
    review_out,
    round_out,
    sheet_out,
)
from tiaojie.reviews.rules import round_policy, sheet_policy
from tiaojie.reviews.schemas import (
    AssignIn,
    AutoAssignIn,
    AutoAssignOut,
    ResultsOut,
    ReviewOut,
    RoundIn,
    RoundOut,
    SheetIn,
    SheetOut,
    SheetUpdateIn,
    VersionIn,
)
from tiaojie.reviews.services import assignment, rounds, sheets

router = Router(tags=["Reviews"])


# --- score sheets ---------------------------------------------------------------------------


def _sheet(request: HttpRequest, sheet_id: int) -> tuple[User, ScoreSheet]:
    user = caller(request, Capability.REVIEW_MANAGE)
    return user, sheet_policy.get_or_404(user, Capability.REVIEW_MANAGE, pk=sheet_id)


def _items(body: SheetIn) -> list[sheets.ItemData]:
    return [sheets.ItemData(i.label, i.weight, i.guidance) for i in body.items]


@router.get(
    "/review-sheets",
    response={200: list[SheetOut], **ERRORS},
    operation_id="review_sheets_list",
)
def review_sheets_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Score sheets of the caller's bureau and its subtree, and of the bureaus above."""
    user = caller(request, Capability.REVIEW_MANAGE)
    return [sheet_out(s, user) for s in selectors.sheets_listed(user)]


@router.post(
    "/review-sheets", response={201: SheetOut, **ERRORS}, operation_id="review_sheets_create"
)
def review_sheets_create(request: HttpRequest, body: SheetIn) -> Status[dict[str, Any]]:
    """A new score sheet of the caller's bureau; the points must add up to 100."""
    user = caller(request, Capability.REVIEW_MANAGE)
    sheet = sheets.sheet_create(actor=user, name=body.name, items=_items(body), active=body.active)
    return Status(201, sheet_out(sheet, user))


@router.get(
    "/review-sheets/{id:sheet_id}",
    response={200: SheetOut, **ERRORS},
    operation_id="review_sheets_read",
)
def review_sheets_read(request: HttpRequest, sheet_id: int) -> dict[str, Any]:
    user, sheet = _sheet(request, sheet_id)
    return sheet_out(sheet, user)


@router.put(
    "/review-sheets/{id:sheet_id}",
    response={200: SheetOut, **ERRORS},
    operation_id="review_sheets_update",
)
def review_sheets_update(
    request: HttpRequest, sheet_id: int, body: SheetUpdateIn
) -> dict[str, Any]:
    """Replace name and items (refused with 409 once a round uses the sheet: copy it)."""
    user, sheet = _sheet(request, sheet_id)
    saved = sheets.sheet_update(
        actor=user,
        sheet=sheet,
        name=body.name,
        items=_items(body),
        active=body.active,
        version=body.version,
    )
    return sheet_out(saved, user)


@router.post(
    "/review-sheets/{id:sheet_id}/copy",
    response={201: SheetOut, **ERRORS},
    operation_id="review_sheets_copy",
)
def review_sheets_copy(request: HttpRequest, sheet_id: int) -> Status[dict[str, Any]]:
    user, sheet = _sheet(request, sheet_id)
    return Status(201, sheet_out(sheets.sheet_copy(actor=user, sheet=sheet), user))


# --- rounds -----------------------------------------------------------------------------------


def _round(request: HttpRequest, round_id: int) -> tuple[User, ReviewRound]:
    user = caller(request, Capability.REVIEW_MANAGE)
    found = round_policy.get_or_404(
        user,
        Capability.REVIEW_MANAGE,
        base=ReviewRound.objects.select_related("owner"),
        pk=round_id,
    )
    return user, found


@router.get(
    "/review-rounds",
    response={200: Page[RoundOut], **ERRORS},
    operation_id="review_rounds_list",
)
def review_rounds_list(
    request: HttpRequest, page: int = PAGE, page_size: int = PAGE_SIZE
) -> dict[str, Any]:
    user = caller(request, Capability.REVIEW_MANAGE)
    found = paginate(
        selectors.rounds_for(user).prefetch_related("flagged_mediators"), page, page_size
    )
    progress = selectors.progress_by_round(r.pk for r in found["results"])
    found["results"] = [round_out(r, progress[r.pk]) for r in found["results"]]
    return found


@router.post(
    "/review-rounds", response={201: RoundOut, **ERRORS}, operation_id="review_rounds_create"
)
def review_rounds_create(request: HttpRequest, body: RoundIn) -> Status[dict[str, Any]]:
    """A draft round of the caller's bureau over a quarter's closed cases."""
    user = caller(request, Capability.REVIEW_MANAGE)
    sheet = ScoreSheet.objects.filter(pk=body.sheet_id).first()
    if sheet is None:
        raise Http404
    mediators = list(User.objects.filter(pk__in=body.flagged_mediator_ids))
    created = rounds.round_create(
        actor=user,
        data=rounds.RoundData(
            name=body.name,
            year=body.year,
            quarter=body.quarter,
            sheet=sheet,
            sample_share=body.sample_share,
            major_amount_threshold=body.major_amount_threshold,
            flagged_mediators=mediators,
        ),
    )
    return Status(201, round_out(created))


@router.get(
    "/review-rounds/{id:round_id}",
    response={200: RoundOut, **ERRORS},
    operation_id="review_rounds_read",
)
def review_rounds_read(request: HttpRequest, round_id: int) -> dict[str, Any]:
    return round_out(_round(request, round_id)[1])


@router.post(
    "/review-rounds/{id:round_id}/sample",
    response={200: RoundOut, **ERRORS},
    operation_id="review_rounds_sample",
)
def review_rounds_sample(request: HttpRequest, round_id: int, body: VersionIn) -> dict[str, Any]:
    """Draw (or, before any reviewer is assigned, draw again) the round's sample."""
    user, found = _round(request, round_id)
    moved = rounds.round_transition(
        actor=user, review_round=found, action="sample", reason=body.reason, version=body.version
    )
    return round_out(moved)


@router.post(
    "/review-rounds/{id:round_id}/close",
    response={200: RoundOut, **ERRORS},
    operation_id="review_rounds_close",
)
def review_rounds_close(request: HttpRequest, round_id: int, body: VersionIn) -> dict[str, Any]:
    """Close the round once every file is scored (409 with the number still pending)."""
    user, found = _round(request, round_id)
    moved = rounds.round_transition(
        actor=user, review_round=found, action="close", reason=body.reason, version=body.version
    )
    return round_out(moved)


@router.get(
    "/review-rounds/{id:round_id}/reviews",
    response={200: list[ReviewOut], **ERRORS},
    operation_id="review_rounds_reviews",
)
def review_rounds_reviews(request: HttpRequest, round_id: int) -> list[dict[str, Any]]:
    """The round's sample with reviewers, statuses and totals."""
    found = _round(request, round_id)[1]
    return [review_out(r) for r in found.reviews.select_related("case", "committee", "reviewer")]


@router.post(
    "/review-rounds/{id:round_id}/assign",
    response={200: list[ReviewOut], **ERRORS},
    operation_id="review_rounds_assign",
)
def review_rounds_assign(
    request: HttpRequest, round_id: int, body: AssignIn
) -> list[dict[str, Any]]:
    """Give files to one reviewer; refused (422) if any is of the reviewer's own committee."""
    user, found = _round(request, round_id)
    reviewer = User.objects.filter(pk=body.reviewer_id).first()
    if reviewer is None:
        raise Http404
    done = assignment.reviewer_assign(
        actor=user, review_round=found, review_ids=body.review_ids, reviewer=reviewer
    )
    return [review_out(r) for r in done]


@router.post(
    "/review-rounds/{id:round_id}/auto-assign",
    response={200: AutoAssignOut, **ERRORS},
    operation_id="review_rounds_auto_assign",
)
def review_rounds_auto_assign(
    request: HttpRequest, round_id: int, body: AutoAssignIn
) -> dict[str, int]:
    """Round-robin over the eligible reviewers, skipping each file's own committee."""
    user, found = _round(request, round_id)
    pool = (
        None if body.reviewer_ids is None else list(User.objects.filter(pk__in=body.reviewer_ids))
    )
    assigned, left = assignment.reviewers_auto_assign(
        actor=user, review_round=found, reviewers=pool
    )
    return {"assigned": assigned, "left": left}


@router.get(
    "/review-rounds/{id:round_id}/results",
    response={200: ResultsOut, **ERRORS},
    operation_id="review_rounds_results",
)
def review_rounds_results(request: HttpRequest, round_id: int) -> dict[str, Any]:
    found = selectors.results(_round(request, round_id)[1])

    def groups(items: list[selectors.Group]) -> list[dict[str, Any]]:
        return [
            {
                "id": g.key,
                "name": g.name,
                "reviewed": g.reviewed,
                "average": g.average,
                "minimum": g.minimum,
                "lowest_items": g.lowest_items,
            }
            for g in items
        ]

    return {"committees": groups(found.committees), "mediators": groups(found.mediators)}


# The reviewers' files and rectification, in their own module (one router for the app).
router.add_router("", files_router)
