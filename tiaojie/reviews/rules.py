"""Who sees which review objects.

* Score sheets and rounds: the officers who run reviews (REVIEW_MANAGE) see those of their own
  bureau's subtree; sheets of the bureaus above them too, to use or copy.
* Case reviews: a reviewer (REVIEW_SCORE) sees only the reviews assigned to them; a round's
  managers (REVIEW_MANAGE) every review of their subtree's rounds.
* Rectifications: the committee concerned (its director), the offices and bureaus above it, and
  the bureau that runs the round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import ScopePolicy
from tiaojie.organisations.models import path_ids
from tiaojie.reviews.models import CaseReview, Rectification, ReviewRound, ScoreSheet

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


class ScoreSheetPolicy(ScopePolicy[ScoreSheet]):
    model = ScoreSheet

    def scope(self, user: User, capability: Capability) -> Q | None:
        path = user.organisation.path
        return Q(owner_path__startswith=path) | Q(owner_id__in=path_ids(path)[:-1])

    def may_edit(self, user: User, sheet: ScoreSheet) -> bool:
        """Only a bureau within the user's subtree edits its sheets (not the city's above)."""
        return user.can(Capability.REVIEW_MANAGE) and sheet.owner_path.startswith(
            user.organisation.path
        )


class ReviewRoundPolicy(ScopePolicy[ReviewRound]):
    model = ReviewRound

    def scope(self, user: User, capability: Capability) -> Q | None:
        return Q(owner_path__startswith=user.organisation.path)


class CaseReviewPolicy(ScopePolicy[CaseReview]):
    model = CaseReview

    def scope(self, user: User, capability: Capability) -> Q | None:
        if capability == Capability.REVIEW_MANAGE:
            return Q(round__owner_path__startswith=user.organisation.path)
        # A reviewer scores what is assigned to them and nothing else, whatever their rank.
        return Q(reviewer=user)


class RectificationPolicy(ScopePolicy[Rectification]):
    model = Rectification

    def scope(self, user: User, capability: Capability) -> Q | None:
        path = user.organisation.path
        return Q(committee_path__startswith=path) | Q(round__owner_path__startswith=path)


sheet_policy = ScoreSheetPolicy()
round_policy = ReviewRoundPolicy()
review_policy = CaseReviewPolicy()
rectification_policy = RectificationPolicy()
