"""Reads of case-file review that depend on the viewer, and the round's results.

``review_scores`` is the hook for mediator and committee evaluation: average review totals
and counts of the final (closed-round) scores, by presiding mediator or by committee."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Case as When_
from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Value, When

from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import CaseMediator
from tiaojie.reviews.choices import RectificationStatus, ReviewStatus, RoundStatus
from tiaojie.reviews.models import (
    CaseReview,
    ItemScore,
    Rectification,
    ReviewRound,
    ScoreItem,
    ScoreSheet,
)
from tiaojie.reviews.rules import rectification_policy, review_policy, round_policy, sheet_policy

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.organisations.models import Organisation

LOWEST_ITEMS = 2


def sheets_for(user: User) -> QuerySet[ScoreSheet]:
    return sheet_policy.visible(user, Capability.REVIEW_MANAGE).select_related("owner")


def sheets_listed(user: User) -> QuerySet[ScoreSheet]:
    """The sheets as their list shows them: items and whether a round uses each, read with
    the sheets (not per sheet)."""
    used = ReviewRound.objects.filter(sheet=OuterRef("pk"))
    return sheets_for(user).annotate(in_use=Exists(used)).prefetch_related("items")


def rounds_for(user: User) -> QuerySet[ReviewRound]:
    return round_policy.visible(user, Capability.REVIEW_MANAGE).select_related("owner", "sheet")


def reviews_assigned_to(user: User) -> QuerySet[CaseReview]:
    """The reviewer's own files, pending first, then the latest rounds."""
    pending_first = When_(
        When(status=ReviewStatus.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        review_policy.visible(user, Capability.REVIEW_SCORE)
        .select_related("round", "case", "case__dispute_type", "committee")
        .order_by(pending_first, "-round__year", "-round__quarter", "committee_path", "case_id")
    )


def rectifications_for(user: User, *, open_only: bool = False) -> QuerySet[Rectification]:
    found = rectification_policy.visible(user, Capability.REVIEW_SCORE).select_related(
        "round", "committee", "review__case"
    )
    return found.exclude(status=RectificationStatus.CLOSED) if open_only else found


def presiding_mediators(case_ids: list[int]) -> dict[int, User]:
    """Each case's presiding mediator (the one still on the case; else the last who presided)."""
    found: dict[int, User] = {}
    rows = (
        CaseMediator.objects.filter(case_id__in=case_ids, is_presiding=True)
        .select_related("mediator")
        .order_by("case_id", "withdrawn_at", "assigned_at")
    )
    for row in rows:
        # Ordered with the active one (withdrawn_at NULL) last on SQLite, first on PostgreSQL:
        # prefer an active row explicitly.
        current = found.get(row.case_id)
        if current is None or row.withdrawn_at is None:
            found[row.case_id] = row.mediator
    return found


@dataclass
class Progress:
    total: int = 0
    assigned: int = 0
    scored: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)


def tally(rows: Iterable[tuple[str, int | None, str]]) -> Progress:
    """Progress from ``(reason, reviewer_id, status)`` of a round's reviews."""
    result = Progress()
    for reason, reviewer_id, status in rows:
        result.total += 1
        result.assigned += reviewer_id is not None
        result.scored += status == ReviewStatus.SCORED
        result.by_reason[reason] = result.by_reason.get(reason, 0) + 1
    return result


def progress_by_round(round_ids: Iterable[int]) -> dict[int, Progress]:
    """Each round's progress, read in one query for a whole list of rounds."""
    rows: dict[int, list[tuple[str, int | None, str]]] = {pk: [] for pk in round_ids}
    found = CaseReview.objects.filter(round_id__in=list(rows)).values_list(
        "round_id", "reason", "reviewer_id", "status"
    )
    for round_id, reason, reviewer_id, status in found:
        rows[round_id].append((reason, reviewer_id, status))
    return {pk: tally(of_round) for pk, of_round in rows.items()}


def progress(review_round: ReviewRound) -> Progress:
    return progress_by_round([review_round.pk])[review_round.pk]


def _avg(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Group:
    """The results of one committee or mediator in a round."""

    key: int
    name: str
    totals: list[Decimal] = field(default_factory=list)
    item_shares: dict[int, list[Decimal]] = field(default_factory=lambda: defaultdict(list))
    lowest_items: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def reviewed(self) -> int:
        return len(self.totals)

    @property
    def average(self) -> Decimal | None:
        return _avg(self.totals)

    @property
    def minimum(self) -> Decimal | None:
        return min(self.totals) if self.totals else None


@dataclass
class Results:
    committees: list[Group]
    mediators: list[Group]
    reviews: list[CaseReview]


def results(review_round: ReviewRound) -> Results:
    """Per committee and per presiding mediator: files scored, average and lowest total, and
    the items with the lowest average (as a share of their points, so items of different
    weights compare)."""
    reviews = list(
        review_round.reviews.filter(status=ReviewStatus.SCORED)
        .select_related("committee", "case", "reviewer")
        .order_by("committee_path", "case_id")
    )
    items: dict[int, ScoreItem] = {i.pk: i for i in review_round.sheet.items.all()}
    scores: dict[int, list[ItemScore]] = defaultdict(list)
    for score in ItemScore.objects.filter(review__in=reviews):
        scores[score.review_id].append(score)
    presiding = presiding_mediators([r.case_id for r in reviews])
    committees: dict[int, Group] = {}
    mediators: dict[int, Group] = {}
    for review in reviews:
        groups = [
            committees.setdefault(
                review.committee_id,
                Group(review.committee_id, review.committee.short_name or review.committee.name),
            )
        ]
        mediator = presiding.get(review.case_id)
        if mediator is not None:
            groups.append(mediators.setdefault(mediator.pk, Group(mediator.pk, mediator.full_name)))
        for group in groups:
            group.totals.append(review.total or Decimal(0))
            for score in scores[review.pk]:
                weight = items[score.item_id].weight
                group.item_shares[score.item_id].append(score.score * 100 / weight)
    for group in [*committees.values(), *mediators.values()]:
        averages = sorted(
            ((_avg(v) or Decimal(0), items[k].order, k) for k, v in group.item_shares.items()),
        )
        group.lowest_items = [(items[k].label, avg) for avg, _, k in averages[:LOWEST_ITEMS]]
    return Results(
        committees=list(committees.values()),
        mediators=sorted(mediators.values(), key=lambda g: (g.average or 0, g.name)),
        reviews=reviews,
    )


@dataclass(frozen=True)
class ScoreSummary:
    """Final review scores of a mediator or committee: how many files, their average total."""

    count: int
    average: Decimal | None
    minimum: Decimal | None


def review_scores(
    *,
    mediator: User | None = None,
    committee: Organisation | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> ScoreSummary:
    """For evaluation (考核): the totals of the case files reviewed in closed rounds, of cases
    the ``mediator`` presided over and/or of the ``committee`` (exactly that committee), scored
    between ``since`` and ``until`` (inclusive). No viewer scope: the caller scopes who asks."""
    found = CaseReview.objects.filter(status=ReviewStatus.SCORED, round__status=RoundStatus.CLOSED)
    if committee is not None:
        found = found.filter(committee=committee)
    if since is not None:
        found = found.filter(scored_at__date__gte=since)
    if until is not None:
        found = found.filter(scored_at__date__lte=until)
    rows = list(found.values_list("case_id", "total"))
    if mediator is not None:
        presiding = presiding_mediators([case_id for case_id, _ in rows])
        rows = [(c, t) for c, t in rows if c in presiding and presiding[c].pk == mediator.pk]
    totals = [t for _, t in rows if t is not None]
    return ScoreSummary(len(totals), _avg(totals), min(totals) if totals else None)
