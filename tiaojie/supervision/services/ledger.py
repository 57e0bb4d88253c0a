"""The ledger's writes: close-out (挂账销号), reopening by mistake, month-end carry-over."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import CaseStatus, Performance
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy
from tiaojie.core.errors import Conflict, DomainError, NotPermitted, field_error
from tiaojie.organisations.models import Organisation
from tiaojie.supervision import ledger, months
from tiaojie.supervision.choices import CloseOutReason
from tiaojie.supervision.error_codes import SupervisionErrorCode as E
from tiaojie.supervision.models import CloseOut, LedgerPeriod
from tiaojie.supervision.rules import ENDED, LEDGER_KINDS, may_close_out, may_keep_ledger

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

logger = logging.getLogger(__name__)


def _lock(actor: User, case: Case) -> Case:
    locked = (
        Case.objects.select_for_update(of=("self",)).select_related("committee").get(pk=case.pk)
    )
    if not case_policy.allows(actor, Capability.CASE_CONTENT, locked):
        raise NotPermitted(E.NOT_PERMITTED, _("This case is outside your scope."))
    if not may_close_out(actor, locked):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not close out this ledger item."))
    return locked


def close_out_refusal(case: Case) -> str:
    """Why ``case`` cannot leave the ledger yet ("" if it can).

    An agreed case leaves only once its performance is known (recorded, or checked on a
    follow-up visit): 案结事了 means the agreement was carried out, not merely signed. An
    archived case has a complete file and may always leave.
    """
    if case.status not in ENDED:
        return _("Only a case that has ended leaves the ledger; this one is still open.")
    if case.status == CaseStatus.AGREED and case.performance == Performance.PENDING:
        # The ledger page annotates ``has_follow_up`` on its rows; one case asks the database.
        followed = getattr(case, "has_follow_up", None)
        if followed is None:
            followed = case.follow_ups.exists()
        if followed:
            return ""
        return _("Record the agreement's performance or a follow-up visit first.")
    return ""


def _frozen(case: Case, day: dt.date) -> bool:
    """A month already carried over for the case's organisation or one above it."""
    holders = [int(part) for part in case.committee_path.split(".") if part]
    return LedgerPeriod.objects.filter(
        organisation_id__in=holders, month=months.first_of(day)
    ).exists()


@transaction.atomic
def close_out(
    *,
    actor: User,
    case: Case,
    reason: str,
    note: str = "",
    closed_on: dt.date | None = None,
) -> CloseOut:
    """Take an ended case off its organisation's ledger, with the reason (销号)."""
    locked = _lock(actor, case)
    if CloseOut.objects.filter(case=locked).exists():
        raise Conflict(E.ALREADY_CLOSED_OUT, _("This item is already closed out."))
    refusal = close_out_refusal(locked)
    if refusal:
        raise Conflict(E.CASE_NOT_ENDED, refusal)
    if reason not in CloseOutReason.values:
        raise field_error("reason", _("Choose why the item is closed out."), E.REASON_REQUIRED)
    today = timezone.localdate()
    day = closed_on or today
    if day > today:
        raise field_error("closed_on", _("The date cannot be in the future."))
    ended_on = locked.closed_on or timezone.localdate(locked.registered_at)
    if day < ended_on:
        raise field_error("closed_on", _("The date cannot be before the case ended."))
    if day < months.first_of(today) and _frozen(locked, day):
        raise field_error(
            "closed_on",
            _("That month's ledger is already carried over; close out with a later date."),
            E.MONTH_CARRIED_OVER,
        )
    item = CloseOut.objects.create(
        case=locked,
        closed_on=day,
        reason=reason,
        note=note.strip()[:200],
        closed_by=actor,
        at=timezone.now(),
        committee_path=locked.committee_path,
        registered_at=locked.registered_at,
    )
    audit.record(
        EventType.LEDGER_CLOSED_OUT,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        after={"closed_on": day, "reason": reason, "case_status": locked.status},
    )
    return item


@transaction.atomic
def close_out_reopen(*, actor: User, case: Case, reason: str) -> Case:
    """Put a case closed out by mistake back on the ledger. The close-out row goes; the audit
    trail keeps what it said."""
    locked = _lock(actor, case)
    item = CloseOut.objects.filter(case=locked).first()
    if item is None:
        raise Conflict(E.NOT_CLOSED_OUT, _("This item is on the ledger already."))
    if not reason.strip():
        raise field_error(
            "reason", _("Say why the item goes back on the ledger."), E.REASON_REQUIRED
        )
    before = {"closed_on": item.closed_on, "reason": item.reason}
    item.delete()
    audit.record(
        EventType.LEDGER_REOPENED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        reason=reason.strip(),
        before=before,
        after={"on_ledger": True},
    )
    return locked


@transaction.atomic
def carry_over(*, actor: User | None, organisation: Organisation, month: dt.date) -> LedgerPeriod:
    """Freeze a finished month of ``organisation``'s ledger (月底结转). ``actor`` None is the
    system (the monthly command)."""
    month = months.first_of(month)
    if actor is not None and not may_keep_ledger(actor, organisation):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not carry over this ledger."))
    if organisation.kind not in LEDGER_KINDS:
        raise field_error("organisation", _("This organisation keeps no ledger."))
    if not months.has_ended(month):
        raise Conflict(E.MONTH_NOT_ENDED, _("A month is carried over only once it has ended."))
    if LedgerPeriod.objects.filter(organisation=organisation, month=month).exists():
        raise Conflict(E.ALREADY_CARRIED_OVER, _("This month is already carried over."))
    figures = ledger.figures(organisation, month)
    try:
        with transaction.atomic():
            period = LedgerPeriod.objects.create(
                organisation=organisation,
                month=month,
                carried_in=figures.carried_in,
                new=figures.new,
                closed_out=figures.closed_out,
                carried_out=figures.carried_out,
                closed_at=timezone.now(),
                closed_by=actor,
            )
    except IntegrityError as exc:  # someone carried it over in the meantime
        raise Conflict(E.ALREADY_CARRIED_OVER, _("This month is already carried over.")) from exc
    audit.record(
        EventType.LEDGER_CARRIED_OVER,
        actor=actor,
        organisation=organisation,
        obj=period,
        after={
            "month": month.strftime("%Y-%m"),
            "carried_in": figures.carried_in,
            "new": figures.new,
            "closed_out": figures.closed_out,
            "carried_out": figures.carried_out,
        },
    )
    return period


@dataclass
class CarryOverRun:
    """What one month-end run did: ledgers carried over, found already carried over (by
    hand, or by a run alongside), and refused, each with its organisation and the reason."""

    made: int = 0
    already: int = 0
    failed: list[tuple[Organisation, str]] = field(default_factory=list)


def carry_over_all(month: dt.date, organisations: Iterable[Organisation]) -> CarryOverRun:
    """Carry over ``month`` for each of ``organisations`` (the system as actor), each in its
    own transaction. One ledger that cannot be carried over is named with its reason and the
    rest are still carried over: a month-end run does not stop at the first committee whose
    ledger an officer carried over by hand since the list was read, and a run again later
    skips what is done."""
    run = CarryOverRun()
    for org in organisations:
        try:
            carry_over(actor=None, organisation=org, month=month)
        except Conflict as exc:
            if exc.code == E.ALREADY_CARRIED_OVER:
                run.already += 1
            else:
                run.failed.append((org, exc.message))
        except DomainError as exc:
            run.failed.append((org, exc.message))
        except DatabaseError as exc:
            logger.exception("carrying over %s for %s failed", org.path, month)
            run.failed.append((org, str(exc).strip() or type(exc).__name__))
        else:
            run.made += 1
    return run
