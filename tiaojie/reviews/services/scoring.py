"""A reviewer scores a case file: points per item of the round's sheet, a note per item, and
comments; the total is their sum. Scores may be corrected until the round closes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.reviews.choices import ReviewStatus, RoundStatus
from tiaojie.reviews.error_codes import ReviewsErrorCode as E
from tiaojie.reviews.models import CaseReview, ItemScore
from tiaojie.reviews.services.common import check_version

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

NOTE_MAX = 300


@dataclass(frozen=True)
class ItemScoreData:
    score: Decimal | None
    note: str = ""


def item_field(item_id: int) -> str:
    """The form and API field an item's refusal is reported on."""
    return f"item_{item_id}"


def _one_decimal(value: Decimal) -> bool:
    try:
        return value == value.quantize(Decimal("0.1"))
    except InvalidOperation:
        return False


@transaction.atomic
def review_score(
    *,
    actor: User,
    review: CaseReview,
    scores: dict[int, ItemScoreData],
    comments: str = "",
    version: int | None = None,
) -> CaseReview:
    """Record the reviewer's scores (every item, 0 to its points, one decimal place at most)."""
    locked = (
        CaseReview.objects.select_for_update(of=("self",))
        .select_related("round", "round__owner", "round__sheet", "case")
        .get(pk=review.pk)
    )
    if locked.reviewer_id != actor.pk:
        raise NotPermitted(E.NOT_PERMITTED, _("This case file is assigned to another reviewer."))
    if locked.round.status != RoundStatus.IN_REVIEW:
        raise Conflict(E.ROUND_NOT_IN_REVIEW, _("The round is not in review."))
    check_version(locked, version)
    items = list(locked.round.sheet.items.all())
    errors: dict[str, list[str]] = {}
    for item in items:
        given = scores.get(item.pk)
        value = given.score if given else None
        if value is None:
            errors[item_field(item.pk)] = [_("Give a score.")]
        elif not (0 <= value <= item.weight) or not _one_decimal(value):
            errors[item_field(item.pk)] = [
                _("Give 0 to %(max)s points, with at most one decimal place.")
                % {"max": item.points}
            ]
        elif given is not None and len(given.note.strip()) > NOTE_MAX:
            errors[item_field(item.pk)] = [_("Keep the note under 300 characters.")]
    unknown = set(scores) - {i.pk for i in items}
    if unknown:
        errors["scores"] = [_("Score only the items of the round's score sheet.")]
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    before = {"status": locked.status, "total": locked.total}
    scores = {k: ItemScoreData(v.score, v.note.strip()) for k, v in scores.items()}
    locked.scores.all().delete()
    ItemScore.objects.bulk_create(
        ItemScore(
            review=locked, item=i, score=scores[i.pk].score or Decimal(0), note=scores[i.pk].note
        )
        for i in items
    )
    locked.total = sum((s.score or Decimal(0) for s in scores.values()), Decimal(0))
    locked.comments = comments.strip()
    locked.status = ReviewStatus.SCORED
    locked.scored_at = timezone.now()
    locked.version += 1
    locked.save()
    # Counts and numbers only: the reviewer's notes and comments stay out of the trail.
    audit.record(
        EventType.CASE_REVIEW_SCORED,
        actor=actor,
        organisation=locked.round.owner,
        obj=locked,
        before=before,
        after={"status": locked.status, "total": locked.total},
    )
    return locked
