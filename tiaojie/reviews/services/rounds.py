"""Review rounds: creating one, and its one workflow (sample → review → close)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaojie.accounts.roles import Capability, Role
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import transitions
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.reviews import sampling
from tiaojie.reviews.choices import ReviewStatus, RoundStatus
from tiaojie.reviews.error_codes import ReviewsErrorCode as E
from tiaojie.reviews.models import (
    DEFAULT_MAJOR_AMOUNT,
    CaseReview,
    ReviewRound,
    RoundTransition,
    ScoreSheet,
)
from tiaojie.reviews.rules import sheet_policy
from tiaojie.reviews.services.common import require_manager

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

FIRST_YEAR = 2000


@dataclass
class RoundData:
    name: str
    year: int
    quarter: int
    sheet: ScoreSheet
    sample_share: int
    major_amount_threshold: Decimal = DEFAULT_MAJOR_AMOUNT
    flagged_mediators: list[User] = field(default_factory=list)


def _validate(actor: User, data: RoundData) -> None:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Name the round.")]
    if data.quarter not in (1, 2, 3, 4):
        errors["quarter"] = [_("Choose a quarter from 1 to 4.")]
    today = timezone.localdate()
    if not FIRST_YEAR <= data.year <= today.year:
        errors["year"] = [_("Choose a year up to this one.")]
    elif (
        data.quarter in (1, 2, 3, 4) and sampling.quarter_bounds(data.year, data.quarter)[0] > today
    ):
        errors["quarter"] = [_("This quarter has not begun.")]
    if not 1 <= data.sample_share <= 100:
        errors["sample_share"] = [_("The share is a percentage from 1 to 100.")]
    if data.major_amount_threshold < 0:
        errors["major_amount_threshold"] = [_("The amount cannot be negative.")]
    if not sheet_policy.allows(actor, Capability.REVIEW_MANAGE, data.sheet):
        errors["sheet"] = [_("Choose one of your score sheets.")]
    elif not data.sheet.active:
        errors["sheet"] = [_("This score sheet is no longer in use.")]
    path = actor.organisation.path
    for mediator in data.flagged_mediators:
        if mediator.role != Role.MEDIATOR or not mediator.organisation.path.startswith(path):
            errors["flagged_mediators"] = [_("Flag mediators of your area only.")]
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)


@transaction.atomic
def round_create(*, actor: User, data: RoundData) -> ReviewRound:
    """A draft round of the actor's bureau; its sample is drawn by the ``sample`` move."""
    if not actor.can(Capability.REVIEW_MANAGE):
        raise NotPermitted(E.NOT_PERMITTED, _("Only a bureau running reviews creates rounds."))
    _validate(actor, data)
    org = actor.organisation
    review_round = ReviewRound.objects.create(
        owner=org,
        owner_path=org.path,
        name=data.name.strip(),
        year=data.year,
        quarter=data.quarter,
        sheet=data.sheet,
        sample_share=data.sample_share,
        major_amount_threshold=data.major_amount_threshold,
        created_by=actor,
    )
    review_round.flagged_mediators.set(data.flagged_mediators)
    audit.record(
        EventType.REVIEW_ROUND_CREATED,
        actor=actor,
        organisation=org,
        obj=review_round,
        after={
            "year": data.year,
            "quarter": data.quarter,
            "sheet": data.sheet.pk,
            "sample_share": data.sample_share,
            "major_amount_threshold": data.major_amount_threshold,
            "flagged_mediators": sorted(m.pk for m in data.flagged_mediators),
        },
    )
    return review_round


def _sample(review_round: ReviewRound) -> dict[str, Any]:
    if review_round.reviews.filter(reviewer__isnull=False).exists():
        raise Conflict(
            E.REVIEWERS_ASSIGNED,
            _("Reviewers are already assigned; the sample can no longer be drawn again."),
        )
    review_round.reviews.all().delete()
    review_round.seed = sampling.seed_for(review_round.pk)
    cases = list(
        sampling.population(review_round.owner_path, review_round.year, review_round.quarter)
        .select_related("committee")
        .only("id", "committee_id", "committee__path", "is_complex", "is_group", "amount")
    )
    drawn = sampling.draw(
        cases,
        seed=review_round.seed,
        share=review_round.sample_share,
        threshold=review_round.major_amount_threshold,
        flagged=set(review_round.flagged_mediators.values_list("pk", flat=True)),
    )
    CaseReview.objects.bulk_create(
        CaseReview(
            round=review_round,
            case=d.case,
            committee_id=d.case.committee_id,
            committee_path=d.case.committee.path,
            reason=d.reason,
        )
        for d in drawn
    )
    review_round.sampled_at = timezone.now()
    reasons = Counter(str(d.reason) for d in drawn)
    return {
        "population": len(cases),
        "sampled": len(drawn),
        "committees": len({c.committee_id for c in cases}),
        "by_reason": dict(sorted(reasons.items())),
        "seed": review_round.seed,
    }


def _close(review_round: ReviewRound) -> dict[str, Any]:
    remaining = review_round.reviews.filter(status=ReviewStatus.PENDING).count()
    if remaining:
        raise Conflict(
            E.REVIEWS_PENDING,
            _("%(n)s case file(s) are not scored yet; the round closes once all are.")
            % {"n": remaining},
            remaining=remaining,
        )
    review_round.closed_at = timezone.now()
    return {"reviews": review_round.reviews.count()}


def _apply_sample(review_round: ReviewRound, actor: User, data: dict[str, Any]) -> None:
    data.update(_sample(review_round))


def _apply_close(review_round: ReviewRound, actor: User, data: dict[str, Any]) -> None:
    data.update(_close(review_round))


MOVES: dict[str, transitions.Move[ReviewRound]] = {
    move.action: move
    for move in [
        transitions.Move(
            "sample",
            frozenset({RoundStatus.DRAFT, RoundStatus.SAMPLED}),
            RoundStatus.SAMPLED,
            None,  # require_manager decides
            apply=_apply_sample,
            extra=("population", "sampled", "committees", "by_reason", "seed"),
        ),
        # Reached by assigning the first reviewer; the assignment's own event is the audit entry.
        transitions.Move(
            "start_review", frozenset({RoundStatus.SAMPLED}), RoundStatus.IN_REVIEW, None
        ),
        transitions.Move(
            "close",
            frozenset({RoundStatus.IN_REVIEW}),
            RoundStatus.CLOSED,
            None,
            apply=_apply_close,
            extra=("reviews",),
        ),
    ]
}
# The moves kept in the audit trail (start_review is the assignment's).
AUDITED: dict[str, EventType] = {
    "sample": EventType.REVIEW_ROUND_SAMPLED,
    "close": EventType.REVIEW_ROUND_CLOSED,
}


def _record(
    actor: User,
    review_round: ReviewRound,
    move: transitions.Move[ReviewRound],
    before: str,
    reason: str,
    recorded: dict[str, Any],
) -> None:
    event = AUDITED.get(str(move.action))
    if event is not None:
        audit.record(
            event,
            actor=actor,
            organisation=review_round.owner,
            obj=review_round,
            reason=reason,
            before={"status": before},
            after={"status": move.target, **recorded},
        )


def _subject(review_round: ReviewRound) -> dict[str, Any]:
    return {"round_id": review_round.pk, "owner_id": review_round.owner_id}


WORKFLOW: transitions.Workflow[ReviewRound] = transitions.Workflow(
    name="review_round",
    model=ReviewRound,
    moves=MOVES,
    log=RoundTransition,
    log_field="round",
    scope=lambda actor, review_round: True,  # require_manager, below, checks the scope
    messages=transitions.Messages(
        out_of_scope=gettext_lazy("Only the bureau running the review may do this."),
        not_allowed=gettext_lazy("Only the bureau running the review may do this."),
        illegal=lambda status, move: (
            _("Not possible while the round is “%(status)s”.")
            % {"status": RoundStatus(status).label}
        ),
    ),
    record=_record,
    subject=_subject,
    lock=lambda pk: ReviewRound.objects.select_for_update().select_related("owner").get(pk=pk),
    permit=lambda actor, review_round, move: require_manager(actor, review_round.owner_path),
)


def round_transition(
    *,
    actor: User,
    review_round: ReviewRound,
    action: str,
    reason: str = "",
    version: int | None = None,
) -> ReviewRound:
    """Move a round (sample, start_review, close) or refuse and change nothing; every move is
    kept as a ``RoundTransition`` and (sample, close) in the audit trail, with counts only
    (the engine: ``core.transitions``; the domain event ``review_round.moved``)."""
    return WORKFLOW.move(
        actor=actor, obj=review_round, action=action, reason=reason, version=version
    )
