"""Who sees and does what in supervision: scope follows the case (``cases.rules``); these
predicates decide who may flag, report, decide and close out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from tiaojie.accounts import selectors as accounts
from tiaojie.accounts.roles import Capability, Role
from tiaojie.cases.choices import ENDED_STATUSES, OPEN_STATUSES, CaseStatus
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy, is_assigned, may_work_on
from tiaojie.core.access import ScopePolicy
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.supervision.models import Supervision

if TYPE_CHECKING:
    from tiaojie.accounts.models import User
    from tiaojie.organisations.models import Organisation

# Who answers for an organisation when no mediator does: a committee's directors, a
# centre's officers (told of a supervision; named in a trace step).
HEAD_ROLES = accounts.HEAD_ROLES
# A case has ended (in ledger terms) once it left mediation one way or another.
ENDED = ENDED_STATUSES
# Cases a supervision may still push: the workflow is not over (an agreed case still has its
# performance to follow).
SUPERVISABLE = OPEN_STATUSES
# Organisations that keep a ledger: committees, and the offices and bureaus over them.
LEDGER_KINDS = frozenset(
    {
        OrganisationKind.CITY_BUREAU,
        OrganisationKind.DISTRICT_BUREAU,
        OrganisationKind.JUSTICE_OFFICE,
        OrganisationKind.COMMITTEE,
    }
)
# Where an overdue supervision rises to: office → district bureau → city bureau.
ESCALATES_TO = frozenset({OrganisationKind.DISTRICT_BUREAU, OrganisationKind.CITY_BUREAU})


class SupervisionPolicy(ScopePolicy[Supervision]):
    """A supervision is seen by whoever may read its case; grid workers see none."""

    model = Supervision

    def scope(self, user: User, capability: Capability) -> Q | None:
        if user.role == Role.GRID_WORKER:
            return None
        if user.role in (Role.COMMITTEE_DIRECTOR, Role.MEDIATOR):
            return Q(case__in=case_policy.cases(user, Capability.CASE_CONTENT).values("pk"))
        return Q(case__committee_path__startswith=user.organisation.path)


supervision_policy = SupervisionPolicy()


def may_close_out(user: User, case: Case) -> bool:
    """Directors for their committee's cases, officers for their subtree's (a centre's queue
    included): the case's holder is at or below the user's organisation."""
    return user.can(Capability.LEDGER_CLOSE) and case.committee_path.startswith(
        user.organisation.path
    )


def may_keep_ledger(user: User, org: Organisation) -> bool:
    """Carry over the ledger of ``org``: a ledger keeper at or above it."""
    return user.can(Capability.LEDGER_CLOSE) and org.path.startswith(user.organisation.path)


def flag_refusal(user: User, case: Case) -> str:
    """Why ``user`` may not flag ``case`` now, or "" if they may (the service gives messages)."""
    if not user.can(Capability.CASE_SUPERVISE):
        return "not_permitted"
    if not case.committee_path.startswith(user.organisation.path):
        return "not_permitted"
    if case.committee_id == user.organisation_id:
        return "same_level"  # a higher level flags, never the holder itself
    if case.status not in SUPERVISABLE:
        return "case_ended"
    return ""


def may_report(user: User, supervision: Supervision) -> bool:
    """The case's committee staff report: its director, an assigned mediator, or while the
    case waits in a centre's queue, the centre's officers."""
    case = supervision.case
    if user.role == Role.COMMITTEE_DIRECTOR and case.committee_id == user.organisation_id:
        return True
    if case.status == CaseStatus.QUEUED:
        return may_work_on(user, case)
    return user.role in (Role.MEDIATOR, Role.COMMITTEE_DIRECTOR) and is_assigned(user, case)


def may_supervise(user: User, supervision: Supervision) -> bool:
    """Officers of the supervising organisation, or of one above it, decide."""
    return user.can(Capability.CASE_SUPERVISE) and supervision.supervising_org.path.startswith(
        user.organisation.path
    )


def may_see_reports(user: User) -> bool:
    """Accountability reports: supervisors over their subtree, directors over their own
    committee and its mediators."""
    return user.can(Capability.CASE_SUPERVISE) or (
        user.role == Role.COMMITTEE_DIRECTOR and user.can(Capability.CASE_ASSIGN)
    )
