"""Demo case-file review for 东湖区, through the services: the default score sheet, last
quarter's round completed (sampled, reviewed by other committees' directors and the street
office, scored, closed) with one rectification still open for 东湖社区, and this quarter's round
in review with a file of another committee waiting for demo_director to score it.

Runs after the demo cases (``seed_demo_pipeline``); running it again adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.organisations.models import Organisation
from tiaojie.reviews import sampling
from tiaojie.reviews.casefile_view import file_view
from tiaojie.reviews.choices import ReviewStatus, RoundStatus
from tiaojie.reviews.models import CaseReview, ReviewRound, ScoreSheet
from tiaojie.reviews.services import assignment, rectification, rounds, scoring, sheets

SHEET_NAME = "人民调解案卷评查评分表"
# National practice (案卷评查标准): what a reviewer checks in a mediation file, with points.
DEFAULT_ITEMS = [
    ("受理登记规范", "10", "申请书或口头申请笔录、受理登记表齐全，当事人信息、纠纷事项记载清楚"),
    ("调查取证充分", "15", "调查笔录有时间、地点、调查人、被调查人签名，证据与纠纷事实对应"),
    ("调解过程记录完整", "15", "调解笔录完整，已告知当事人权利义务，参与人员签名"),
    ("协议内容合法明确", "20", "协议内容合法，权利义务明确具体，履行方式、期限清楚，签名盖章齐全"),
    ("文书格式规范", "15", "使用统一文书格式，字迹清楚，案号、日期等要素齐全"),
    ("回访及时", "10", "协议达成后及时回访，回访记录载明履行情况"),
    ("立卷归档规范", "15", "卷内目录、排列顺序、装订符合统一立卷要求，卷宗完整"),
]
# Too few closed files make a thin demo round: then this year's busiest quarter instead.
MIN_POPULATION = 10
SEED = 20261124


def _user(username: str) -> User:
    return User.objects.get(username=username)


def default_sheet(manager: User) -> ScoreSheet:
    found = ScoreSheet.objects.filter(owner=manager.organisation, name=SHEET_NAME).first()
    if found is not None:
        return found
    items = [sheets.ItemData(label, Decimal(w), guidance) for label, w, guidance in DEFAULT_ITEMS]
    return sheets.sheet_create(actor=manager, name=SHEET_NAME, items=items)


def _quarter_for_completed_round(
    owner: Organisation, committee: Organisation, today: dt.date
) -> tuple[int, int]:
    """Last quarter, if enough files closed in it (and 东湖社区's among them, so the demo has
    its rectification); else this year's busiest such quarter before today's."""
    year, quarter = sampling.quarter_of(today)
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    counts: dict[tuple[int, int], tuple[int, bool]] = {}
    for q in [previous, *((year, n) for n in range(1, quarter))]:
        found = sampling.population(owner.path, *q)
        counts[q] = (found.count(), found.filter(committee=committee).exists())
    size, has_committee = counts[previous]
    if size >= MIN_POPULATION and has_committee:
        return previous
    fitting = [q for q, (n, has) in counts.items() if has and n]
    if not fitting:  # early in the year: the demo cases all lie in this quarter
        return year, quarter
    return max(fitting, key=lambda q: (counts[q][0], q))


def _round(
    manager: User, sheet: ScoreSheet, year: int, quarter: int, share: int, suffix: str = ""
) -> ReviewRound:
    name = f"{year}年第{quarter}季度人民调解案卷评查{suffix}"
    found = ReviewRound.objects.filter(owner=manager.organisation, name=name).first()
    if found is not None:
        return found
    created = rounds.round_create(
        actor=manager,
        data=rounds.RoundData(
            name=name, year=year, quarter=quarter, sheet=sheet, sample_share=share
        ),
    )
    return rounds.round_transition(actor=manager, review_round=created, action="sample")


def _reviewers(owner: Organisation) -> list[User]:
    """Other committees' directors and the street office: demo_director reviews only in the
    current round, by hand."""
    directors = User.objects.filter(
        role=Role.COMMITTEE_DIRECTOR,
        is_active=True,
        organisation__path__startswith=owner.path,
        username__startswith="director",
    ).order_by("username")
    return [*directors, _user("demo_street")]


def _plausible_scores(
    rng: random.Random, review: CaseReview, quality: float
) -> dict[int, scoring.ItemScoreData]:
    """Scores that follow the file: missing documents cost 立卷归档规范, no follow-up costs 回访."""
    view = file_view(review.case, review.reviewer or _user("demo_district"))
    scores: dict[int, scoring.ItemScoreData] = {}
    for item in review.round.sheet.items.all():
        share = min(1.0, max(0.4, rng.gauss(quality, 0.08)))
        note = ""
        if item.label == "立卷归档规范" and view.missing:
            share, note = min(share, 0.6), "卷内缺：" + "、".join(str(m) for m in view.missing)
        elif item.label == "回访及时" and view.agreement_kind and not view.follow_ups:
            share, note = 0.5, "协议达成后未见回访记录"
        elif item.label == "协议内容合法明确" and not view.agreement_kind:
            share = 1.0  # no agreement: nothing to fault here
        points = (item.weight * Decimal(str(share)) * 2).quantize(Decimal(1)) / 2
        scores[item.pk] = scoring.ItemScoreData(points, note)
    return scores


def _score_all(rng: random.Random, review_round: ReviewRound, only: int | None = None) -> None:
    quality: dict[int, float] = {}
    pending = list(
        review_round.reviews.filter(status=ReviewStatus.PENDING, reviewer__isnull=False)
        .exclude(reviewer__username="demo_director")
        .select_related("round__sheet", "case", "reviewer")
        .order_by("id")
    )
    for review in pending[:only] if only is not None else pending:
        level = quality.setdefault(review.committee_id, rng.uniform(0.78, 0.95))
        if review.reviewer is None:  # filtered out above; keeps the type checker informed
            continue
        scoring.review_score(
            actor=review.reviewer,
            review=review,
            scores=_plausible_scores(rng, review, level),
            comments="卷宗基本规范。" if level > 0.85 else "卷宗材料有待完善，请对照评分表整改。",
        )


@transaction.atomic
def seed_reviews_demo() -> None:
    manager = _user("demo_district")
    owner = manager.organisation
    rng = random.Random(SEED)  # noqa: S311 - demo data
    sheet = default_sheet(manager)
    today = timezone.localdate()
    committee_a = _user("demo_director").organisation

    year, quarter = _quarter_for_completed_round(owner, committee_a, today)
    done = _round(manager, sheet, year, quarter, share=20)
    if done.status == RoundStatus.SAMPLED:
        assignment.reviewers_auto_assign(
            actor=manager, review_round=done, reviewers=_reviewers(owner)
        )
        done.refresh_from_db()
    if done.status == RoundStatus.IN_REVIEW:
        _score_all(rng, done)
        if not done.reviews.filter(status=ReviewStatus.PENDING).exists():
            done = rounds.round_transition(actor=manager, review_round=done, action="close")
    weakest = (
        done.reviews.filter(committee=committee_a, status=ReviewStatus.SCORED)
        .order_by("total", "id")
        .first()
    )
    if weakest is not None and not weakest.rectifications.exists():
        rectification.rectification_request(
            actor=manager,
            review=weakest,
            instructions="对照评分表补齐卷内材料：补充回访记录，按统一目录顺序重新装订卷宗。",
            deadline=today + dt.timedelta(days=30),
        )

    current_year, current_quarter = sampling.quarter_of(today)
    # Early in the year both rounds may cover this quarter: the second is named apart.
    second = "（复查）" if (current_year, current_quarter) == (year, quarter) else ""
    current = _round(manager, sheet, current_year, current_quarter, share=10, suffix=second)
    if current.status == RoundStatus.SAMPLED:
        other = current.reviews.exclude(committee=committee_a).order_by("id").first()
        if other is not None:
            assignment.reviewer_assign(
                actor=manager,
                review_round=current,
                review_ids=[other.pk],
                reviewer=_user("demo_director"),
            )
        assignment.reviewers_auto_assign(
            actor=manager, review_round=current, reviewers=_reviewers(owner)
        )
        current.refresh_from_db()
        # Half of the rest already scored: the round is visibly under way.
        _score_all(rng, current, only=current.reviews.count() // 2)
