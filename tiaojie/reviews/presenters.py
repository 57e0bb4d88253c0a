"""How the reviews API shows its objects: plain dicts for the ``schemas`` (numbers, names of
organisations and staff; a file's parties by surname only)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.reviews import selectors
from tiaojie.reviews.casefile_view import file_view
from tiaojie.reviews.models import CaseReview, Rectification, ReviewRound, ScoreSheet
from tiaojie.reviews.rules import sheet_policy


def sheet_out(sheet: ScoreSheet, user: User) -> dict[str, Any]:
    """``in_use`` as annotated by ``selectors.sheets_listed``, else asked of the database."""
    in_use = getattr(sheet, "in_use", None)
    return {
        "id": sheet.pk,
        "owner_id": sheet.owner_id,
        "name": sheet.name,
        "active": sheet.active,
        "in_use": ReviewRound.objects.filter(sheet=sheet).exists() if in_use is None else in_use,
        "editable": sheet_policy.may_edit(user, sheet),
        "copied_from_id": sheet.copied_from_id,
        "version": sheet.version,
        "items": list(sheet.items.all()),
    }


def round_out(
    review_round: ReviewRound, progress: selectors.Progress | None = None
) -> dict[str, Any]:
    """``progress`` when the caller read it for many rounds at once (the list)."""
    progress = progress or selectors.progress(review_round)
    return {
        **{
            f: getattr(review_round, f)
            for f in (
                "id",
                "owner_id",
                "name",
                "year",
                "quarter",
                "sheet_id",
                "sample_share",
                "major_amount_threshold",
                "status",
                "seed",
                "sampled_at",
                "closed_at",
                "version",
            )
        },
        # .all(): served by the list's prefetch, one query for a single round.
        "flagged_mediator_ids": sorted(m.pk for m in review_round.flagged_mediators.all()),
        "progress": progress.__dict__,
    }


def review_out(review: CaseReview) -> dict[str, Any]:
    return {
        **{
            f: getattr(review, f)
            for f in (
                "id",
                "round_id",
                "case_id",
                "committee_id",
                "reason",
                "reviewer_id",
                "status",
                "total",
                "scored_at",
                "version",
            )
        },
        "case_number": review.case.number,
        "committee_name": review.committee.name,
        "reviewer_name": review.reviewer.full_name if review.reviewer else "",
    }


def review_detail_out(review: CaseReview, user: User) -> dict[str, Any]:
    view = file_view(review.case, user)
    case = review.case
    return {
        **review_out(review),
        "comments": review.comments,
        "items": list(review.round.sheet.items.all()),
        "scores": list(review.scores.values("item_id", "score", "note")),
        "case_file": {
            "number": case.number,
            "dispute_type": case.dispute_type.name,
            "committee": review.committee.name,
            "status": case.status,
            "ended_as": view.ended_as,
            "registered_at": case.registered_at,
            "accepted_on": case.accepted_on,
            "closed_on": case.closed_on,
            "archived_on": case.archived_on,
            "amount": case.amount,
            "presiding_mediator": view.presiding,
            "parties": [p.__dict__ for p in view.parties],
            "documents": [str(d) for d in view.documents],
            "missing_documents": [str(d) for d in view.missing],
            "agreement_kind": view.agreement_kind,
            "agreement_effective_on": view.agreement_effective_on,
            "investigations": view.investigations,
            "sessions": view.sessions,
            "follow_ups": view.follow_ups,
        },
    }


def rectification_out(found: Rectification) -> dict[str, Any]:
    return {
        **{
            f: getattr(found, f)
            for f in (
                "id",
                "review_id",
                "round_id",
                "committee_id",
                "instructions",
                "deadline",
                "status",
                "report",
                "requested_at",
                "reported_at",
                "closed_at",
                "version",
            )
        },
        "case_number": found.review.case.number,
        "committee_name": found.committee.name,
        "overdue": found.status != "closed" and found.deadline < timezone.localdate(),
    }
