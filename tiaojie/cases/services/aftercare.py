"""After agreement: performance, judicial confirmation within 30 days, follow-up visits."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import (
    CaseStatus,
    ConfirmationOutcome,
    FollowUpMethod,
    Performance,
    Satisfaction,
)
from tiaojie.cases.error_codes import CasesErrorCode as E
from tiaojie.cases.models import Case, FollowUp, JudicialConfirmation, PerformanceRecord
from tiaojie.cases.services.common import (
    bump,
    check_version,
    lock_case,
    not_future,
    require_status,
)
from tiaojie.cases.workflow import current_agreement
from tiaojie.core import events
from tiaojie.core.errors import Conflict, ValidationFailed, field_error

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

# People's Mediation Law art. 33: both parties apply within 30 days of the agreement taking effect.
CONFIRMATION_WINDOW_DAYS = 30


def _published(case: Case, what: str) -> None:
    """Tell the watchers (statistics) that a fact of the case they count changed."""
    events.publish(
        "case.updated", {"case_id": case.pk, "committee_id": case.committee_id, "what": what}
    )


@transaction.atomic
def performance_record(
    *,
    actor: User,
    case: Case,
    status: str,
    recorded_on: dt.date,
    note: str = "",
    version: int | None = None,
) -> Case:
    """How far the agreement has been performed; the committee supervises performance (art. 31)."""
    locked = lock_case(actor, case)
    check_version(locked, version)
    require_status(locked, CaseStatus.AGREED, CaseStatus.ARCHIVED)
    if status not in Performance.values or status == Performance.PENDING:
        raise field_error("status", _("Choose performed, partly performed or not performed."))
    not_future(recorded_on, "recorded_on")
    PerformanceRecord.objects.create(
        case=locked, recorded_on=recorded_on, status=status, note=note.strip(), created_by=actor
    )
    before = {"performance": locked.performance}
    locked.performance = status
    locked.version += 1
    locked.save()
    audit.record(
        EventType.PERFORMANCE_RECORDED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        before=before,
        after={"performance": status, "note": note},
    )
    _published(locked, "performance")
    return locked


def confirmation_deadline(case: Case) -> dt.date | None:
    """The last day to apply for judicial confirmation of the agreement in force (read from
    what the case's page holds, when it holds it: ``reads.current_agreement``)."""
    agreement = current_agreement(case)
    if agreement is None or agreement.effective_on is None:
        return None
    return agreement.effective_on + dt.timedelta(days=CONFIRMATION_WINDOW_DAYS)


@transaction.atomic
def confirmation_apply(
    *,
    actor: User,
    case: Case,
    applied_on: dt.date,
    court: str,
    joint: bool,
    version: int | None = None,
) -> JudicialConfirmation:
    """Record the parties' joint application to a court, within 30 days of the agreement."""
    locked = lock_case(actor, case)
    check_version(locked, version)
    require_status(locked, CaseStatus.AGREED)
    if not joint:
        raise field_error(
            "joint", _("Judicial confirmation needs both parties to apply together (art. 33).")
        )
    if not court.strip():
        raise field_error("court", _("Name the court."))
    not_future(applied_on, "applied_on")
    agreement = current_agreement(locked)
    if agreement is not None and agreement.effective_on and applied_on < agreement.effective_on:
        raise field_error(
            "applied_on", _("The application cannot come before the agreement took effect.")
        )
    deadline = confirmation_deadline(locked)
    if deadline is None:
        raise Conflict(E.AGREEMENT_NOT_EFFECTIVE, _("The agreement is not yet in effect."))
    if applied_on > deadline:
        raise Conflict(
            E.CONFIRMATION_TOO_LATE,
            _("The 30 days for judicial confirmation ended on %(day)s.") % {"day": deadline},
        )
    if locked.confirmations.filter(outcome=ConfirmationOutcome.PENDING).exists():
        raise Conflict(E.CONFIRMATION_PENDING, _("An application is already before the court."))
    confirmation = JudicialConfirmation.objects.create(
        case=locked, applied_on=applied_on, court=court.strip(), joint=True, created_by=actor
    )
    bump(locked)
    audit.record(
        EventType.CONFIRMATION_APPLIED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        after={"court": court, "applied_on": applied_on},
    )
    return confirmation


@transaction.atomic
def confirmation_decide(
    *,
    actor: User,
    case: Case,
    outcome: str,
    decided_on: dt.date,
    ruling_number: str,
    note: str = "",
    version: int | None = None,
) -> JudicialConfirmation:
    """The court's ruling: confirmed (enforceable) or rejected (mediate again or litigate)."""
    locked = lock_case(actor, case)
    check_version(locked, version)
    confirmation = locked.confirmations.filter(outcome=ConfirmationOutcome.PENDING).first()
    if confirmation is None:
        raise Conflict(E.NO_PENDING_CONFIRMATION, _("No application is waiting for the court."))
    if outcome not in (ConfirmationOutcome.CONFIRMED, ConfirmationOutcome.REJECTED):
        raise field_error("outcome", _("Choose confirmed or rejected."))
    if not ruling_number.strip():
        raise field_error("ruling_number", _("Enter the number of the court's ruling."))
    not_future(decided_on, "decided_on")
    if decided_on < confirmation.applied_on:
        raise field_error("decided_on", _("The ruling cannot come before the application."))
    confirmation.outcome = outcome
    confirmation.decided_on = decided_on
    confirmation.ruling_number = ruling_number.strip()
    confirmation.note = note.strip()
    confirmation.save()
    bump(locked)
    audit.record(
        EventType.CONFIRMATION_DECIDED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        after={"outcome": outcome, "ruling_number": ruling_number},
    )
    _published(locked, "confirmation")
    return confirmation


@transaction.atomic
def follow_up_add(
    *,
    actor: User,
    case: Case,
    visited_on: dt.date,
    method: str,
    party_visited: str,
    performance: str,
    satisfaction: str,
    escalation_risk: bool = False,
    notes: str = "",
    version: int | None = None,
) -> FollowUp:
    """回访: a visit after the agreement. It also updates the case's performance."""
    locked = lock_case(actor, case)
    check_version(locked, version)
    require_status(locked, CaseStatus.AGREED, CaseStatus.ARCHIVED)
    errors = {}
    if method not in FollowUpMethod.values:
        errors["method"] = [_("Choose how the visit was made.")]
    if performance not in Performance.values:
        errors["performance"] = [_("Choose the state of performance.")]
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = [_("Choose the party's satisfaction.")]
    if not party_visited.strip():
        errors["party_visited"] = [_("This field is required.")]
    if errors:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    not_future(visited_on, "visited_on")
    visit = FollowUp.objects.create(
        case=locked,
        visited_on=visited_on,
        method=method,
        party_visited=party_visited.strip(),
        performance=performance,
        satisfaction=satisfaction,
        escalation_risk=escalation_risk,
        notes=notes.strip(),
        visitor=actor,
    )
    if performance != Performance.PENDING:
        locked.performance = performance
    locked.version += 1
    locked.save()
    audit.record(
        EventType.FOLLOW_UP_ADDED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        after={
            "visited_on": visited_on,
            "performance": performance,
            "satisfaction": satisfaction,
            "escalation_risk": escalation_risk,
        },
    )
    _published(locked, "performance")
    return visit
