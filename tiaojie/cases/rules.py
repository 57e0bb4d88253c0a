"""Who sees which cases: officers their subtree's committees and governance centres, committee
staff their committee's cases and those it mediates jointly, grid workers the disputes they
reported. Administrators see none (no case contents)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, cast

from django.db.models import Q

from tiaojie.accounts.roles import Capability, Role
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case, CaseMediator, JointCommittee
from tiaojie.cases.models.case import CaseQuerySet
from tiaojie.core.access import ScopePolicy

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


class CasePolicy(ScopePolicy[Case]):
    model = Case

    def scope(self, user: User, capability: Capability) -> Q | None:
        if user.role == Role.GRID_WORKER:
            return Q(registered_by=user)
        own = Q(committee_path__startswith=user.organisation.path)
        if user.role in (Role.COMMITTEE_DIRECTOR, Role.MEDIATOR):
            # A committee's staff also see the cases it mediates jointly. Officers see a joint
            # case through its lead committee only: an OR on a subquery would cost the indexed
            # prefix match on their (large) case lists.
            joint = JointCommittee.objects.filter(
                committee_path__startswith=user.organisation.path, left_at__isnull=True
            ).values("case_id")
            return own | Q(pk__in=joint)
        return own

    def cases(self, user: User, capability: Capability) -> CaseQuerySet:
        return cast(CaseQuerySet, self.visible(user, capability))


case_policy = CasePolicy()


def is_assigned(user: User, case: Case) -> bool:
    """An active (not withdrawn) mediator of the case."""
    return CaseMediator.objects.filter(case=case, mediator=user, withdrawn_at__isnull=True).exists()


def joins(user: User, case: Case) -> bool:
    """The user's committee takes part in the case's joint mediation."""
    return JointCommittee.objects.filter(
        case=case, committee_id=user.organisation_id, left_at__isnull=True
    ).exists()


def may_work_on(user: User, case: Case, assigned: Collection[int] | None = None) -> bool:
    """A queued dispute is worked on by its governance centre's officers. Directors work on any
    case of their committee; mediators once assigned to it, or before anyone is (a committee's
    mediators take turns accepting what comes in). Staff of a committee mediating jointly work
    on it only once assigned to it. ``assigned``: the ids of the case's active mediators, when
    the caller has just read them (the API's answer), so they are not asked for again."""
    if case.status == CaseStatus.QUEUED:
        return user.can(Capability.CASE_ROUTE) and case.committee_path.startswith(
            user.organisation.path
        )
    if user.role in (Role.COMMITTEE_DIRECTOR, Role.MEDIATOR) and (
        case.committee_id != user.organisation_id
    ):
        return joins(user, case) and is_assigned(user, case)
    if user.role == Role.COMMITTEE_DIRECTOR:
        return True
    if user.role != Role.MEDIATOR:
        return False
    if assigned is not None:
        return not assigned or user.pk in assigned
    active = CaseMediator.objects.filter(case=case, withdrawn_at__isnull=True)
    return not active.exists() or active.filter(mediator=user).exists()
