"""Who sees which cases: officers their subtree's committees, committee staff their committee's
cases, grid workers the disputes they reported. Administrators see none (no case contents)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.db.models import Q

from tiaojie.accounts.roles import Role
from tiaojie.cases.models import Case, CaseMediator
from tiaojie.cases.models.case import CaseQuerySet
from tiaojie.core.access import ScopePolicy

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.accounts.roles import Capability


class CasePolicy(ScopePolicy[Case]):
    model = Case

    def scope(self, user: User, capability: Capability) -> Q | None:
        if user.role == Role.GRID_WORKER:
            return Q(registered_by=user)
        return Q(committee_path__startswith=user.organisation.path)

    def cases(self, user: User, capability: Capability) -> CaseQuerySet:
        return cast(CaseQuerySet, self.visible(user, capability))


case_policy = CasePolicy()


def is_assigned(user: User, case: Case) -> bool:
    """An active (not withdrawn) mediator of the case."""
    return CaseMediator.objects.filter(case=case, mediator=user, withdrawn_at__isnull=True).exists()


def may_work_on(user: User, case: Case) -> bool:
    """Directors work on any case of their committee; mediators once assigned to it, or before
    anyone is (a committee's mediators take turns accepting what comes in)."""
    if user.role == Role.COMMITTEE_DIRECTOR:
        return True
    if user.role != Role.MEDIATOR:
        return False
    assigned = CaseMediator.objects.filter(case=case, withdrawn_at__isnull=True)
    return not assigned.exists() or assigned.filter(mediator=user).exists()
