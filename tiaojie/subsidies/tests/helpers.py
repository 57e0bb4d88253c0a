"""Building subsidy test data: the standard rules (domain.md §6: community 30/80/150 元, street
50/200/400 元) and cases that ended in a month with the facts the rules look at."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests import personas as p
from tiaojie.accounts.models import User
from tiaojie.cases.models import Agreement, Case, CaseMediator
from tiaojie.cases.tests.factories import register
from tiaojie.subsidies.models import SubsidyRuleSet
from tiaojie.subsidies.services import rulesets
from tiaojie.subsidies.services.rulesets import Amount, Band, RuleSetData

D = Decimal


def user(username: str) -> User:
    return User.objects.get(username=username)


def last_month() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def months_ago(n: int) -> dt.date:
    month = timezone.localdate().replace(day=1)
    for _ in range(n):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


def standard_bands() -> list[Band]:
    return [
        Band("amount", "general", D(0), D(10000)),
        Band("amount", "difficult", D(10000), D(100000)),
        Band("amount", "major", D(100000), None),
        Band("people", "general", D(0), D(5)),
        Band("people", "difficult", D(5), D(20)),
        Band("people", "major", D(20), None),
    ]


def standard_amounts(scale: int = 1) -> list[Amount]:
    return [
        Amount("community", "general", D(30 * scale)),
        Amount("community", "difficult", D(80 * scale)),
        Amount("community", "major", D(150 * scale)),
        Amount("street", "general", D(50 * scale)),
        Amount("street", "difficult", D(200 * scale)),
        Amount("street", "major", D(400 * scale)),
    ]


def data(valid_from: dt.date, **overrides: Any) -> RuleSetData:
    values: dict[str, Any] = {
        "name": "以案定补标准",
        "valid_from": valid_from,
        "bands": standard_bands(),
        "amounts": standard_amounts(),
    }
    return RuleSetData(**(values | overrides))


def standard_rules(valid_from: dt.date | None = None, **overrides: Any) -> SubsidyRuleSet:
    return rulesets.rule_set_create(
        actor=user(p.DISTRICT),
        bureau=p.org(p.DONGHU_DISTRICT),
        data=data(valid_from or months_ago(6), **overrides),
    )


def ended_case(
    month: dt.date,
    *,
    mediators: tuple[str, ...] = (p.MEDIATOR_A,),
    oral: bool = False,
    **fields: Any,
) -> Case:
    """A case of 东湖社区 (a community committee) agreed, performed and archived on the 10th of
    ``month`` unless ``fields`` say otherwise; the first of ``mediators`` presides."""
    case = register(user(p.DIRECTOR_A))
    day = month.replace(day=10)
    values: dict[str, Any] = {
        "status": "archived",
        "ended_as": "agreed",
        "accepted_on": day - dt.timedelta(days=5),
        "closed_on": day,
        "performance": "performed",
        "archived_on": day,
        "amount": D(2000),
        "people_involved": 2,
    }
    Case.objects.filter(pk=case.pk).update(**(values | fields))
    for index, name in enumerate(mediators):
        CaseMediator.objects.create(case=case, mediator=user(name), is_presiding=index == 0)
    Agreement.objects.create(
        case=case,
        kind="oral" if oral else "written",
        number=f"AG-{case.pk}",
        facts="邻里漏水",
        content="赔偿",
        performance_manner="现金",
        formed_on=day,
        created_by=user(p.DIRECTOR_A),
    )
    return Case.objects.get(pk=case.pk)
