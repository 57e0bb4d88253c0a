"""Building review data for tests through the services, as users would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.reviews.models import ReviewRound, ScoreSheet
from tiaojie.reviews.sampling import quarter_of
from tiaojie.reviews.services import rounds, sheets
from tiaojie.reviews.services.scoring import ItemScoreData, review_score

DEFAULT_ITEMS = [
    ("受理登记规范", "10"),
    ("调查取证充分", "15"),
    ("调解过程记录完整", "15"),
    ("协议内容合法明确", "20"),
    ("文书格式规范", "15"),
    ("回访及时", "10"),
    ("立卷归档规范", "15"),
]


def items(pairs: list[tuple[str, str]] = DEFAULT_ITEMS) -> list[sheets.ItemData]:
    return [sheets.ItemData(label, Decimal(weight)) for label, weight in pairs]


def user(username: str) -> User:
    return User.objects.get(username=username)


def make_sheet(actor: User | None = None, name: str = "案卷评查评分表") -> ScoreSheet:
    return sheets.sheet_create(actor=actor or user("demo_district"), name=name, items=items())


def closed_case(mediator: User, **overrides: object) -> Case:
    """A case the mediator's committee mediated and ended today (terminated: party withdrew)."""
    case = f.to_mediation(mediator, f.register(mediator, **overrides))
    return transition(
        actor=mediator,
        case=case,
        action="terminate",
        reason="申请人撤回调解申请",
        data={"end_reason": "party_withdraws"},
    )


def set_closed_on(case: Case, day: dt.date) -> None:
    """Move a closed case into another quarter (services stamp today, as the demo does)."""
    Case.objects.filter(pk=case.pk).update(closed_on=day)


def make_round(
    actor: User | None = None,
    *,
    sheet: ScoreSheet | None = None,
    share: int = 10,
    flagged: list[User] | None = None,
    threshold: Decimal = Decimal("100000"),
) -> ReviewRound:
    actor = actor or user("demo_district")
    year, quarter = quarter_of(timezone.localdate())
    return rounds.round_create(
        actor=actor,
        data=rounds.RoundData(
            name=f"{year}年第{quarter}季度案卷评查",
            year=year,
            quarter=quarter,
            sheet=sheet or make_sheet(actor),
            sample_share=share,
            major_amount_threshold=threshold,
            flagged_mediators=flagged or [],
        ),
    )


def sampled(review_round: ReviewRound) -> ReviewRound:
    return rounds.round_transition(
        actor=user("demo_district"), review_round=review_round, action="sample"
    )


def full_marks(review_round: ReviewRound, minus: Decimal = Decimal(0)) -> dict[int, ItemScoreData]:
    """Every item at its points, the first item ``minus`` lower."""
    found = list(review_round.sheet.items.all())
    return {
        item.pk: ItemScoreData(item.weight - (minus if n == 0 else 0))
        for n, item in enumerate(found)
    }


def score(reviewer: User, review_id: int, scores: dict[int, ItemScoreData]) -> None:
    from tiaojie.reviews.models import CaseReview

    review_score(actor=reviewer, review=CaseReview.objects.get(pk=review_id), scores=scores)
