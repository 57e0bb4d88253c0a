"""Reads of supervision that depend on the viewer; each starts from what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tiaojie.accounts.models import User as UserModel
from tiaojie.accounts.roles import Capability, Role
from tiaojie.cases.models import Case, CaseMediator
from tiaojie.cases.rules import case_policy
from tiaojie.organisations.models import Organisation
from tiaojie.supervision import ledger, months, reports
from tiaojie.supervision.choices import LedgerShow, SupervisionStatus
from tiaojie.supervision.models import LedgerPeriod, Supervision
from tiaojie.supervision.rules import LEDGER_KINDS, supervision_policy
from tiaojie.supervision.trace import traced

if TYPE_CHECKING:
    from tiaojie.accounts.models import User


def ledger_organisations(user: User) -> QuerySet[Organisation]:
    """Organisations whose ledger ``user`` may open: their own and those below that keep one."""
    return Organisation.objects.subtree_of(user.organisation).filter(kind__in=LEDGER_KINDS)


def ledger_organisation(user: User, org_id: int | None) -> Organisation:
    """The chosen ledger (404 out of scope), or the user's own organisation's."""
    if org_id is None:
        own = user.organisation
        if own.kind not in LEDGER_KINDS:
            raise Http404
        return own
    found = ledger_organisations(user).filter(pk=org_id).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class LedgerQuery:
    org: Organisation
    month: dt.date
    show: str = LedgerShow.OPEN
    dispute_type: int | None = None
    overdue: bool = False


def ledger_cases(user: User, query: LedgerQuery) -> QuerySet[Case]:
    """The ledger's rows as the user may read them, with what the columns need."""
    base = ledger.of_organisation(query.org, case_policy.cases(user, Capability.CASE_CONTENT))
    qs = ledger.items(base, query.month, query.show)
    if query.dispute_type:
        qs = qs.filter(dispute_type_id=query.dispute_type)
    if query.overdue:
        qs = ledger.overdue(qs, min(timezone.localdate(), months.last_day(query.month)))
    return with_columns(qs).order_by("registered_at", "id")


def with_columns(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("committee", "dispute_type", "close_out").prefetch_related(
        "parties",
        Prefetch(
            "mediators",
            queryset=CaseMediator.objects.filter(withdrawn_at__isnull=True)
            .select_related("mediator")
            .order_by("-is_presiding", "assigned_at"),
            to_attr="active_mediators",
        ),
        Prefetch(
            "supervisions",
            queryset=Supervision.objects.filter(status=SupervisionStatus.OPEN).select_related(
                "supervising_org"
            ),
            to_attr="open_supervisions",
        ),
    )


def period_of(org: Organisation, month: dt.date) -> LedgerPeriod | None:
    return LedgerPeriod.objects.filter(organisation=org, month=month).first()


def ledger_figures(query: LedgerQuery) -> tuple[LedgerPeriod | None, ledger.Figures, int | None]:
    """The month's figures (frozen by its carry-over, or computed from the cases), its
    period if it was carried over, and how many rows ``ledger_cases`` holds when the live
    figures say it: counting the rows again was the other half of a large ledger's time
    (a street office's 400,000 cases read twice, ADR 0066).

    The figures and the rows are the same cases: those of the organisation's subtree, which
    the viewer sees whole (a ledger is opened at one's own organisation or below; the joint
    cases a committee's staff also see lie outside it and are on their lead committee's
    ledger), counted with the figures (``ledger.counted``). None (count the rows) for a
    frozen month, whose figures are those of the day it was carried over, and for a filtered
    list."""
    period = period_of(query.org, query.month)
    if period is not None:
        frozen = ledger.Figures(
            carried_in=period.carried_in,
            new=period.new,
            closed_out=period.closed_out,
            carried_out=period.carried_out,
        )
        return period, frozen, None
    live = ledger.counted(query.org, query.month)
    if query.dispute_type or query.overdue:
        return None, live.figures, None
    return None, live.figures, live.rows.get(query.show)


def periods_for(user: User, org: Organisation) -> QuerySet[LedgerPeriod]:
    if not org.path.startswith(user.organisation.path):
        raise Http404
    return LedgerPeriod.objects.filter(organisation=org).select_related("closed_by")


def supervisions_for(
    user: User, *, state: str = "open", scope: str = "ours"
) -> QuerySet[Supervision]:
    """Supervised cases for the user: officers those flagged by their organisation or below
    (``scope="area"``: any of their area's cases, also those flagged from above); committee
    staff those of their cases. ``state``: open, overdue or all."""
    qs = supervision_policy.visible(user, Capability.CASE_CONTENT)
    if user.role in (Role.OFFICE_OFFICER, Role.BUREAU_OFFICER) and scope != "area":
        qs = qs.filter(supervising_org__path__startswith=user.organisation.path)
    if state == "open":
        qs = qs.filter(status=SupervisionStatus.OPEN)
    elif state == "overdue":
        qs = qs.filter(status=SupervisionStatus.OPEN, deadline__lt=timezone.localdate())
    return qs.select_related("case", "case__committee", "supervising_org", "opened_by").order_by(
        "deadline", "id"
    )


def supervision_or_404(user: User, pk: int) -> Supervision:
    return supervision_policy.get_or_404(
        user,
        Capability.CASE_CONTENT,
        base=Supervision.objects.select_related(
            "case", "case__committee", "supervising_org", "supervising_org__parent", "opened_by"
        ),
        pk=pk,
    )


def case_or_404(user: User, pk: int) -> Case:
    return case_policy.get_or_404(
        user,
        Capability.CASE_CONTENT,
        base=Case.objects.select_related("committee", "dispute_type"),
        pk=pk,
    )


def traced_case_or_404(user: User, pk: int) -> Case:
    """A case with what its accountability trace reads (moves, mediators, supervisions)."""
    return case_policy.get_or_404(
        user,
        Capability.CASE_CONTENT,
        base=traced(Case.objects.select_related("dispute_type")),
        pk=pk,
    )


def open_supervision(case: Case) -> Supervision | None:
    return (
        Supervision.objects.filter(case=case, status=SupervisionStatus.OPEN)
        .select_related("supervising_org", "supervising_org__parent", "opened_by", "case")
        .first()
    )


def report_organisations(user: User) -> QuerySet[Organisation]:
    """Organisations whose accountability report ``user`` may see: supervisors their subtree's
    ledger keepers, a committee director their own committee."""
    if user.can(Capability.CASE_SUPERVISE):
        return ledger_organisations(user)
    if user.role == Role.COMMITTEE_DIRECTOR:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def report_mediators(user: User) -> QuerySet[User]:

    orgs = report_organisations(user)
    return UserModel.objects.filter(
        organisation__in=orgs, role__in=[Role.MEDIATOR, Role.COMMITTEE_DIRECTOR]
    ).order_by("organisation__path", "full_name")


def report_cases(user: User) -> QuerySet[Case]:
    return case_policy.cases(user, Capability.CASE_CONTENT)


def trace_report_for(
    user: User, org_id: int | None, mediator_id: int | None, start: dt.date, end: dt.date
) -> tuple[Organisation | User, reports.Report]:
    """The report the user asked for, scoped to what they may see (404 out of scope): for a
    mediator, or for an organisation (their own by default)."""
    cases = report_cases(user)
    if mediator_id is not None:
        person = report_mediators(user).filter(pk=mediator_id).first()
        if person is None:
            raise Http404
        assigned = CaseMediator.objects.filter(mediator_id=mediator_id).values("case_id")
        qs = cases.filter(Q(pk__in=assigned))
        return person, reports.build(qs, start, end, mediator_id=mediator_id)
    orgs = report_organisations(user)
    org = orgs.filter(pk=org_id).first() if org_id else orgs.order_by("path").first()
    if org is None:
        raise Http404
    # A case routed away from a centre still counts the steps it spent there.
    qs = cases.filter(Q(committee_path__startswith=org.path) | Q(centre=org))
    return org, reports.build(qs, start, end, org_path=org.path)
