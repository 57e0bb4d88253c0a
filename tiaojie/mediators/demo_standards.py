"""Demo of evaluation, promotion, honours and committee standards for 东湖区, through the
services: 东湖社区 checked against the six standardisation items and rated four stars
(approved by the district bureau), 梨园社区 missing two items, one village without a
committee, a promotion awaiting the bureau, a gold-medal mediator with his personal studio, 东湖社区's
brand room (老娘舅调解工作室), and the last twelve months' evaluation of the district's
mediators. Running it again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.mediators import committees, evaluation, promotions, studios
from tiaojie.mediators.choices import HonourTitle
from tiaojie.mediators.models import (
    CommitteeCheck,
    Evaluation,
    Honour,
    Locality,
    Mediator,
    Promotion,
    StarRating,
    Studio,
)
from tiaojie.organisations.models import Organisation

STAR_COMMITTEE = "东湖社区人民调解委员会"
PARTLY = "梨园社区人民调解委员会"
LOCALITIES = "990102001001 东湖社区\n990102001002 梨园社区\n990102001003 东湖新村"


def seed_standards_demo(officer: User) -> None:
    """``officer``: the district bureau's officer (demo_district)."""
    year = timezone.localdate().year
    director = User.objects.get(username="demo_director")
    star = Organisation.objects.get(name=STAR_COMMITTEE)
    partly = Organisation.objects.get(name=PARTLY)
    standard = committees.DEFAULTS["standard"]
    if not CommitteeCheck.objects.filter(committee=star, year=year).exists():
        committees.check_record(actor=officer, committee=star, year=year, met=standard)
        committees.check_record(
            actor=officer,
            committee=partly,
            year=year,
            met=[i for i in standard if i not in ("有标识", "有台账")],
        )
    if not StarRating.objects.filter(committee=star, year=year).exists():
        rating = committees.star_propose(
            actor=director,
            committee=star,
            year=year,
            stars=4,
            met=committees.DEFAULTS["star"][:5],
            grounds="六有齐全，全年调解成功率 96%，群众满意度高。",
        )
        committees.star_decide(actor=officer, rating=rating, action="approve")
    if not Locality.objects.filter(bureau=officer.organisation).exists():
        committees.localities_set(actor=officer, text=LOCALITIES)
    _promotion_and_honour(director, officer)
    _studios(officer, star)
    today = timezone.localdate()
    if not Evaluation.objects.filter(owner=officer.organisation).exists():
        evaluation.evaluation_run(
            actor=officer,
            title=f"{today.year} 年度考核（近十二个月）",
            starts_on=today - dt.timedelta(days=365),
            ends_on=today,
        )


def _promotion_and_honour(director: User, officer: User) -> None:
    elder = Mediator.objects.filter(name="沈德顺").first()  # 中级 of 梨园社区
    if elder is not None and not Promotion.objects.filter(mediator=elder).exists():
        higher = [g for g in promotions.ladder_of(elder) if g.name == "高级"]
        if higher:
            promotions.propose(
                actor=director,
                mediator=elder,
                to_grade_id=higher[0].pk,
                grounds="从事调解十余年，近三年考核均为优秀。",
            )
    judge = Mediator.objects.filter(name="冯振国").first()
    if judge is not None and not Honour.objects.filter(mediator=judge).exists():
        promotions.honour_add(
            actor=officer,
            mediator=judge,
            title=HonourTitle.GOLD,
            year=timezone.localdate().year - 1,
            awarded_by="东湖区司法局",
        )


def _studios(officer: User, star: Organisation) -> None:
    """东湖社区's brand room, and the gold-medal mediator's personal studio in his committee."""
    if Studio.objects.filter(committee_path__startswith=officer.organisation.path).exists():
        return
    studios.studio_add(
        actor=officer,
        committee=star,
        data=studios.StudioData(
            "老娘舅调解工作室",
            "brand",
            None,
            dt.date(2023, 3, 15),
            address="东湖社区党群服务中心一楼",
            hours="周一至周五 9:00–17:00",
        ),
    )
    judge = Mediator.objects.filter(name="冯振国").first()
    place = judge.memberships.filter(until__isnull=True).first() if judge else None
    if judge is not None and place is not None:
        studios.studio_add(
            actor=officer,
            committee=place.committee,
            data=studios.StudioData(
                f"金牌调解员{judge.name}工作室",
                "personal",
                judge.pk,
                dt.date(2024, 6, 1),
                hours="每周二、周四下午",
            ),
        )
