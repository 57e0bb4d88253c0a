"""Demo supervision and ledger data on top of the demo cases, through the services.

Supervised cases at two levels (东湖街道司法所 flags two cases of 东湖社区 and 梨园社区; 东湖区司法局
flags one directly; one office supervision went overdue and rose to the district), reports from
the committees, close-outs of about half the ended cases, and last month's carry-over for the
demo committees. Running it twice changes nothing.

The one write outside the services is demo-only: the overdue supervision's ``opened_at`` and
``deadline`` are moved two weeks back (a date-only update) so that the overdue scan, run as
every day, escalates it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.cases.choices import CaseStatus, Performance
from tiaojie.cases.models import Case
from tiaojie.deadlines.calendar import is_working_day
from tiaojie.organisations.models import Organisation
from tiaojie.supervision import months
from tiaojie.supervision.choices import CloseOutReason
from tiaojie.supervision.models import CloseOut, LedgerPeriod, Supervision
from tiaojie.supervision.rules import ENDED
from tiaojie.supervision.services import ledger
from tiaojie.supervision.services.supervision import (
    default_deadline,
    escalate_overdue,
    supervision_open,
    supervision_transition,
)

COMMITTEE_A = "东湖社区人民调解委员会"
COMMITTEE_B = "梨园社区人民调解委员会"
OTHER_COMMITTEE = "翠柳社区人民调解委员会"
OFFICE = "东湖街道司法所"
RUNNING = [CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.IN_MEDIATION]


def _open_case(committee: str, skip: set[int]) -> Case | None:
    return (
        Case.objects.filter(committee__name=committee, status__in=RUNNING)
        .exclude(pk__in=skip)
        .order_by("registered_at", "id")
        .first()
    )


def _reporter(case: Case) -> User | None:
    assigned = case.mediators.filter(withdrawn_at__isnull=True).order_by("-is_presiding").first()
    if assigned is not None:
        return assigned.mediator
    return User.objects.filter(
        organisation_id=case.committee_id, role=Role.COMMITTEE_DIRECTOR, is_active=True
    ).first()


def _supervisions() -> None:
    street = User.objects.get(username="demo_street")
    district = User.objects.get(username="demo_district")
    used: set[int] = set()
    flagged: list[Supervision] = []
    for committee, instructions in (
        (COMMITTEE_A, "该纠纷久拖未决，请于期限内化解，每周报告进展。"),
        (COMMITTEE_B, "群众反映强烈，请主任包案，限期化解并报告结果。"),
    ):
        case = _open_case(committee, used)
        if case is not None:
            used.add(case.pk)
            flagged.append(
                supervision_open(
                    actor=street,
                    case=case,
                    deadline=default_deadline(street.organisation),
                    instructions=instructions,
                )
            )
    direct = _open_case(OTHER_COMMITTEE, used)
    if direct is not None:
        used.add(direct.pk)
        supervision_open(
            actor=district,
            case=direct,
            deadline=default_deadline(district.organisation),
            instructions="区局挂牌督办：请司法所和调委会联合化解，十个工作日内报告。",
        )
    for sup in flagged:
        reporter = _reporter(sup.case)
        if reporter is not None:
            supervision_transition(
                actor=reporter,
                supervision=sup,
                action="report",
                reason="已约谈双方当事人，初步达成调解意向，拟于下周再次组织调解。",
            )
    overdue_case = _open_case(COMMITTEE_A, used)
    if overdue_case is not None:
        # Flagged three weeks ago with a deadline three days ago (the working day on or
        # before it), so the nightly scan finds it overdue and raises it to the district.
        today = timezone.localdate()
        deadline = today - dt.timedelta(days=3)
        while not is_working_day(deadline):
            deadline -= dt.timedelta(days=1)
        supervision_open(
            actor=street,
            case=overdue_case,
            deadline=deadline,
            instructions="请于十个工作日内化解。",
            on=today - dt.timedelta(days=21),
        )
        escalate_overdue(today)


def _reason(case: Case) -> str:
    if case.decline_reason or case.status == CaseStatus.DECLINED:
        return CloseOutReason.DECLINED
    if case.status == CaseStatus.FAILED:
        return CloseOutReason.REFERRED_ON
    if case.end_reason == "party_withdraws":
        return CloseOutReason.WITHDRAWN
    if case.end_reason:
        return CloseOutReason.OTHER
    if case.performance == Performance.PERFORMED:
        return CloseOutReason.AGREEMENT_PERFORMED
    return CloseOutReason.RESOLVED_OTHERWISE


def _close_outs() -> None:
    """About half the ended cases, every other one by id, by their committee's director."""
    today = timezone.localdate()
    ended = Case.objects.filter(status__in=ENDED, close_out__isnull=True).order_by("id")
    for case in ended:
        if case.pk % 2 or ledger.close_out_refusal(case):
            continue
        director = User.objects.filter(
            organisation_id=case.committee_id, role=Role.COMMITTEE_DIRECTOR, is_active=True
        ).first()
        if director is None:
            continue
        day = min(today, (case.closed_on or today) + dt.timedelta(days=7))
        if (
            day < months.first_of(today)
            and LedgerPeriod.objects.filter(month=months.first_of(day)).exists()
        ):
            day = today  # that month is frozen already: close out today
        ledger.close_out(actor=director, case=case, reason=_reason(case), closed_on=day)


def _carry_over() -> None:
    last = months.previous_month(months.first_of(timezone.localdate()))
    for name in (COMMITTEE_A, COMMITTEE_B, OFFICE):
        org = Organisation.objects.filter(name=name).first()
        if (
            org is not None
            and not LedgerPeriod.objects.filter(organisation=org, month=last).exists()
        ):
            ledger.carry_over(actor=None, organisation=org, month=last)


@transaction.atomic
def seed_supervision_demo() -> None:
    """Add the supervision demo (needs the demo cases: ``seed_demo_cases``). Idempotent."""
    if not Case.objects.exists():
        return
    if not Supervision.objects.exists():
        _supervisions()
    if not CloseOut.objects.exists():
        _close_outs()
    _carry_over()
