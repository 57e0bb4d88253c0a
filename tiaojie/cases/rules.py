"""Who sees which cases: officers their subtree's committees and governance centres, committee
staff their committee's cases and those it mediates jointly, grid workers the disputes they
reported. Administrators see none (no case contents)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, cast

from django.db.models import Q, QuerySet

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
        own = _own(user)
        if _mediates_jointly(user):
            # A committee's staff also see the cases it mediates jointly. Officers see a joint
            # case through its lead committee only: an OR on a subquery would cost the indexed
            # prefix match on their (large) case lists.
            return own | Q(pk__in=_joint(user).values("case_id"))
        return own

    def search_subtree(self, user: User) -> str | None:
        """The path of the subtree that is the whole of ``scope`` for ``user`` — an office's
        officers, the city's — or None when the scope is something else (a grid worker's
        reports; a committee's staff, whose joint cases lie in other committees). A search
        within it may skip the subtree's committees that hold none of its words (ADR 0080)."""
        if user.role == Role.GRID_WORKER or _mediates_jointly(user):
            return None
        return str(user.organisation.path) if user.organisation_id else None

    def allows(self, user: User, capability: Capability, obj: Case) -> bool:
        """As ``ScopePolicy.allows``, but a case the user's own scope holds (``_own``), or a
        grid worker's own report, is answered from the case as read: the scope's condition
        is its path (or reporter), and a case page asked it of the database once for each
        panel and button that checks a capability. Anything else (another tree's case, which
        a joint mediation may still open) is asked of the database as before."""
        if not (user.is_authenticated and user.can(capability)):
            return False
        if user.role == Role.GRID_WORKER:
            return obj.registered_by_id == user.pk
        if _holds(user, obj.committee_path):
            return True
        return super().allows(user, capability, obj)

    def cases(self, user: User, capability: Capability) -> CaseQuerySet:
        """The cases ``user`` may use ``capability`` on, for a list (or a count, a search, a
        report). As ``visible``, except that a committee's jointly mediated cases are read
        first and named by their ids: the subquery ``scope`` ORs in for one case (a move's
        locking read, compiled once for every user of a role) kept the committee's prefix
        match out of every index, so each list, count and search of its staff walked the
        whole table's index instead of the committee's range (a search at 1,000,000 cases
        took 100–600 ms where an office's took 15–60, ADR 0067). Without joint cases — most
        committees — the scope is the committee's path alone (ADR 0079)."""
        if not (user.is_authenticated and user.can(capability) and _mediates_jointly(user)):
            return cast(CaseQuerySet, self.visible(user, capability))
        joint = list(_joint(user).values_list("case_id", flat=True))
        return Case.objects.filter(_own(user) | Q(pk__in=joint) if joint else _own(user))


case_policy = CasePolicy()


def _own(user: User) -> Q:
    """The cases held at or below the user's organisation.

    For a committee's staff that is the cases their committee holds, matched exactly: a case
    is held by a committee or a governance centre (an office), and nothing below a committee
    but its grids, which hold none. The exact match lets the index on the path and the id give
    the committee's cases in id order, which a search's sample walks; the prefix match walked
    the ids of every case in the city and kept the committee's, a tenth of them (ADR 0079)."""
    if _mediates_jointly(user):
        return Q(committee_path=user.organisation.path)
    return Q(committee_path__startswith=user.organisation.path)


def _holds(user: User, committee_path: str) -> bool:
    """``_own`` asked of a case's path as read."""
    if _mediates_jointly(user):
        return committee_path == user.organisation.path
    return committee_path.startswith(user.organisation.path)


def _mediates_jointly(user: User) -> bool:
    """Whether ``user`` sees, besides their committee's cases, those it mediates jointly."""
    return user.role in (Role.COMMITTEE_DIRECTOR, Role.MEDIATOR)


def _joint(user: User) -> QuerySet[JointCommittee]:
    """The joint mediations the user's committee (or one below it) takes part in now."""
    return JointCommittee.objects.filter(
        committee_path__startswith=user.organisation.path, left_at__isnull=True
    )


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
    # One read of who serves, not "anyone?" and then "this user?".
    serving = CaseMediator.objects.filter(case=case, withdrawn_at__isnull=True)
    ids = set(serving.values_list("mediator_id", flat=True))
    return not ids or user.pk in ids
