"""Who is told of a supervision: the committee that answers it, the level that supervises."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.accounts.selectors import staff_of
from tiaojie.cases.models import Case, CaseMediator
from tiaojie.supervision.models import Supervision
from tiaojie.supervision.rules import HEAD_ROLES

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


def case_staff(case: Case) -> list[User]:
    """Who answers a supervision: the holder's directors (or a centre's officers while the case
    is queued there) and the case's serving mediators."""

    heads = staff_of(case.committee_id, HEAD_ROLES)
    mediators = User.objects.filter(
        pk__in=CaseMediator.objects.filter(case=case, withdrawn_at__isnull=True).values(
            "mediator_id"
        )
    )
    return list({u.pk: u for u in [*heads, *mediators]}.values())


def supervisors(supervision: Supervision) -> list[User]:
    """Who hears of a report: the officer who flagged it; for one that rose by escalation (or
    whose flagger left), the supervising organisation's officers."""

    flagger = supervision.opened_by
    if supervision.parent_id is None and flagger is not None and flagger.is_active:
        return [flagger]
    return list(
        User.objects.filter(
            organisation_id=supervision.supervising_org_id,
            is_active=True,
            role__in=[Role.OFFICE_OFFICER, Role.BUREAU_OFFICER],
        )
    )
