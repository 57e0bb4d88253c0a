"""Assigning reviewers: by hand or round-robin, never to someone reviewing their own committee's
file or a case they mediated."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability, Role, has_capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.models import CaseMediator, JointCommittee
from tiaojie.core.errors import Conflict, ValidationFailed, field_error
from tiaojie.notifications.models import NotificationKind
from tiaojie.notifications.services import notify
from tiaojie.reviews.choices import ReviewStatus, RoundStatus
from tiaojie.reviews.error_codes import ReviewsErrorCode as E
from tiaojie.reviews.models import CaseReview, ReviewRound
from tiaojie.reviews.services.common import require_manager
from tiaojie.reviews.services.rounds import round_transition

if TYPE_CHECKING:
    from collections.abc import Iterable

REVIEWER_ROLES = [r for r in Role if has_capability(r, Capability.REVIEW_SCORE)]


def eligible_reviewers(review_round: ReviewRound) -> QuerySet[User]:
    """Who may review the round's files: active officers and committee directors of the
    bureau's subtree whose role scores reviews."""
    return (
        User.objects.filter(
            is_active=True,
            role__in=REVIEWER_ROLES,
            organisation__path__startswith=review_round.owner_path,
        )
        .select_related("organisation")
        .order_by("organisation__path", "username")
    )


@dataclass
class Involvement:
    """Who took part in each case: its mediators, and committees mediating it jointly."""

    mediators: dict[int, set[int]]
    joint: dict[int, set[int]]

    @classmethod
    def of(cls, reviews: Iterable[CaseReview]) -> Involvement:
        case_ids = [r.case_id for r in reviews]
        mediators: dict[int, set[int]] = defaultdict(set)
        joint: dict[int, set[int]] = defaultdict(set)
        for case_id, user_id in CaseMediator.objects.filter(case_id__in=case_ids).values_list(
            "case_id", "mediator_id"
        ):
            mediators[case_id].add(user_id)
        for case_id, org_id in JointCommittee.objects.filter(case_id__in=case_ids).values_list(
            "case_id", "committee_id"
        ):
            joint[case_id].add(org_id)
        return cls(mediators, joint)

    def refusal(self, reviewer: User, review: CaseReview) -> str | None:
        """Why ``reviewer`` may not review this file, or None."""
        own = {review.committee_id, review.case.committee_id} | self.joint[review.case_id]
        if reviewer.organisation_id in own:
            return _("%(name)s cannot review %(number)s: it is their own committee's case.") % {
                "name": reviewer.full_name,
                "number": review.case.number,
            }
        if reviewer.pk in self.mediators[review.case_id]:
            return _("%(name)s cannot review %(number)s: they mediated it.") % {
                "name": reviewer.full_name,
                "number": review.case.number,
            }
        return None


def _lock_round(actor: User, review_round: ReviewRound) -> ReviewRound:
    locked = ReviewRound.objects.select_for_update().select_related("owner").get(pk=review_round.pk)
    require_manager(actor, locked.owner_path)
    if locked.status not in (RoundStatus.SAMPLED, RoundStatus.IN_REVIEW):
        raise Conflict(
            E.ILLEGAL_STATE,
            _("Reviewers are assigned once the sample is drawn and until the round closes."),
        )
    return locked


def _assign(actor: User, locked: ReviewRound, review: CaseReview, reviewer: User) -> None:
    before = review.reviewer_id
    review.reviewer = reviewer
    review.assigned_at = timezone.now()
    review.version += 1
    review.save(update_fields=["reviewer", "assigned_at", "version"])
    audit.record(
        EventType.REVIEWER_ASSIGNED,
        actor=actor,
        organisation=locked.owner,
        obj=review,
        before={"reviewer": before},
        after={"reviewer": reviewer.pk, "round": locked.pk, "case": review.case_id},
    )
    notify(
        [reviewer],
        kind=NotificationKind.REVIEW,
        title=_("Case file to review: %(number)s") % {"number": review.case.number},
        body=locked.name,
        url=reverse("reviews:review_score", args=[review.pk]),
        key=f"review:{review.pk}:assigned",
    )


def _start(actor: User, locked: ReviewRound) -> None:
    if locked.status == RoundStatus.SAMPLED:
        round_transition(actor=actor, review_round=locked, action="start_review")


@transaction.atomic
def reviewer_assign(
    *, actor: User, review_round: ReviewRound, review_ids: list[int], reviewer: User
) -> list[CaseReview]:
    """Give the reviews to ``reviewer``, all or none: a file of the reviewer's own committee,
    or one they mediated, refuses the whole request, saying which."""
    locked = _lock_round(actor, review_round)
    if not eligible_reviewers(locked).filter(pk=reviewer.pk).exists():
        raise field_error("reviewer", _("Choose a reviewer of your area who scores reviews."))
    reviews = list(
        locked.reviews.select_for_update(of=("self",))
        .select_related("case")
        .filter(pk__in=review_ids)
    )
    if not reviews or len(reviews) != len(set(review_ids)):
        raise field_error("reviews", _("Choose case files of this round."))
    if any(r.status == ReviewStatus.SCORED for r in reviews):
        raise Conflict(E.ALREADY_SCORED, _("A scored case file keeps its reviewer."))
    involvement = Involvement.of(reviews)
    refusals = [m for r in reviews if (m := involvement.refusal(reviewer, r))]
    if refusals:
        raise ValidationFailed(E.OWN_COMMITTEE, refusals[0], fields={"reviewer": refusals})
    for review in reviews:
        _assign(actor, locked, review, reviewer)
    _start(actor, locked)
    return reviews


@transaction.atomic
def reviewers_auto_assign(
    *, actor: User, review_round: ReviewRound, reviewers: list[User] | None = None
) -> tuple[int, int]:
    """Give each unassigned file to the eligible reviewer with the fewest files in the round,
    skipping anyone from the file's own committee or who mediated it. Returns (assigned, left
    unassigned because nobody eligible remained)."""
    locked = _lock_round(actor, review_round)
    eligible = list(eligible_reviewers(locked))
    if reviewers is not None:
        chosen = {r.pk for r in reviewers}
        eligible = [r for r in eligible if r.pk in chosen]
    if not eligible:
        raise field_error("reviewers", _("There is nobody in your area to review."))
    load = Counter(
        locked.reviews.filter(reviewer__isnull=False).values_list("reviewer_id", flat=True)
    )
    todo = list(
        locked.reviews.select_for_update(of=("self",))
        .select_related("case")
        .filter(reviewer__isnull=True)
        .order_by("committee_path", "case_id")
    )
    involvement = Involvement.of(todo)
    assigned = left = 0
    for review in todo:
        candidates = [r for r in eligible if involvement.refusal(r, review) is None]
        if not candidates:
            left += 1
            continue
        # Fewest files first; ties go to the earlier in the list (by organisation, username).
        reviewer = min(candidates, key=lambda r: load[r.pk])
        load[reviewer.pk] += 1
        _assign(actor, locked, review, reviewer)
        assigned += 1
    if assigned:
        _start(actor, locked)
    return assigned, left
