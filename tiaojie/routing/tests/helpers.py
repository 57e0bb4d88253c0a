"""Building routing test data through the services, as users would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests import personas as p
from tiaojie.accounts.models import User
from tiaojie.cases.choices import CaseSource
from tiaojie.cases.models import Case, DisputeType
from tiaojie.cases.services import intake
from tiaojie.cases.tests.factories import case_data
from tiaojie.organisations.models import Organisation
from tiaojie.routing.choices import Tier
from tiaojie.routing.models import RoutingRule
from tiaojie.routing.services.rules import RuleData, rule_save


def user(username: str) -> User:
    return User.objects.get(username=username)


def dispute_type(code: str) -> DisputeType:
    return DisputeType.objects.get(code=code)


def queued(
    officer: str = p.STREET,
    *,
    applicant_at: Organisation | None = None,
    respondent_at: Organisation | None = None,
    **overrides: Any,
) -> Case:
    """A dispute the officer of a governance centre registers into its queue, with where the
    parties live."""
    overrides.setdefault("source", CaseSource.HOTLINE)
    if isinstance(overrides.get("dispute_type"), str):
        overrides["dispute_type"] = dispute_type(overrides["dispute_type"])
    if isinstance(overrides.get("amount"), int):
        overrides["amount"] = Decimal(overrides["amount"])
    parties = case_data().parties
    for party, org in zip(parties, (applicant_at, respondent_at), strict=True):
        party.residence_id = org.pk if org is not None else None
    return intake.case_register(actor=user(officer), data=case_data(parties=parties, **overrides))


def rule(
    name: str,
    priority: int,
    tier: str = Tier.COMMUNITY,
    *,
    actor: str = p.DISTRICT,
    types: list[str] | None = None,
    **fields: Any,
) -> RoutingRule:
    data = RuleData(
        name=name,
        priority=priority,
        tier=tier,
        dispute_types=[dispute_type(c) for c in types or []],
        **fields,
    )
    return rule_save(actor=user(actor), data=data)
