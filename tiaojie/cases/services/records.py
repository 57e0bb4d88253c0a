"""Investigation records, mediation sessions, mediator withdrawal, and the extension of the
one-month norm."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability, Role
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.error_codes import CasesErrorCode as E
from tiaojie.cases.models import Case, CaseMediator, InvestigationRecord, MediationSession
from tiaojie.cases.services.common import (
    bump,
    check_version,
    lock_case,
    require_status,
)
from tiaojie.core import events
from tiaojie.core.errors import Conflict, ValidationFailed, field_error

if TYPE_CHECKING:
    from tiaojie.accounts.models import User

RECORDING = (CaseStatus.ACCEPTED, CaseStatus.IN_MEDIATION)


def _not_future(when: dt.datetime, field_name: str, case: Case | None = None) -> None:
    if when > timezone.now() + dt.timedelta(minutes=5):
        raise field_error(field_name, _("A record cannot be dated in the future."))
    # Paperwork is often entered after the fact on the day of registration: the same day is fine.
    if case is not None and timezone.localdate(when) < timezone.localdate(case.registered_at):
        raise field_error(field_name, _("A record cannot be dated before the case was registered."))


def _required(values: dict[str, str]) -> None:
    missing = {
        name: [_("This field is required.")] for name, value in values.items() if not value.strip()
    }
    if missing:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=missing)


@transaction.atomic
def investigation_add(
    *,
    actor: User,
    case: Case,
    held_at: dt.datetime,
    place: str,
    interviewee: str,
    investigators: str,
    recorder: str,
    content: str,
    version: int | None = None,
) -> InvestigationRecord:
    """调查记录: who was asked what, where and when."""
    locked = lock_case(actor, case)
    check_version(locked, version)
    require_status(locked, *RECORDING)
    _required(
        {
            "place": place,
            "interviewee": interviewee,
            "investigators": investigators,
            "recorder": recorder,
            "content": content,
        }
    )
    _not_future(held_at, "held_at", locked)
    record = InvestigationRecord.objects.create(
        case=locked,
        held_at=held_at,
        place=place.strip(),
        interviewee=interviewee.strip(),
        investigators=investigators.strip(),
        recorder=recorder.strip(),
        content=content.strip(),
        created_by=actor,
    )
    bump(locked)
    audit.record(
        EventType.RECORD_ADDED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        after={"record": "investigation", "id": record.pk, "held_at": held_at},
    )
    return record


@transaction.atomic
def session_add(
    *,
    actor: User,
    case: Case,
    held_at: dt.datetime,
    place: str,
    parties_present: str,
    recorder: str,
    content: str,
    participants: str = "",
    rights_told: bool = True,
    version: int | None = None,
) -> MediationSession:
    """调解记录: the minutes of one session. Only while the case is in mediation."""
    locked = lock_case(actor, case)
    check_version(locked, version)
    require_status(locked, CaseStatus.IN_MEDIATION)
    _required(
        {
            "place": place,
            "parties_present": parties_present,
            "recorder": recorder,
            "content": content,
        }
    )
    _not_future(held_at, "held_at", locked)
    session = MediationSession.objects.create(
        case=locked,
        held_at=held_at,
        place=place.strip(),
        parties_present=parties_present.strip(),
        participants=participants.strip(),
        recorder=recorder.strip(),
        content=content.strip(),
        rights_told=rights_told,
        created_by=actor,
    )
    bump(locked)
    audit.record(
        EventType.RECORD_ADDED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        after={"record": "session", "id": session.pk, "held_at": held_at},
    )
    return session


def _log(case: Case, actor: User, action: str, reason: str, data: dict[str, str]) -> None:
    """Who held the case changes: kept with the moves, for the timeline and the trace."""
    case.transitions.create(
        action=action,
        from_status=case.status,
        to_status=case.status,
        actor=actor,
        actor_name=actor.full_name,
        at=timezone.now(),
        reason=reason,
        data=data,
    )


@transaction.atomic
def mediator_withdraw(
    *, actor: User, case: Case, mediator: User, reason: str, version: int | None = None
) -> CaseMediator:
    """A mediator steps aside: related to a party, or a party asked for another (回避)."""
    locked = lock_case(actor, case)
    check_version(locked, version)
    require_status(locked, CaseStatus.IN_MEDIATION)
    if not reason.strip():
        raise field_error("reason", _("Say why the mediator withdraws."))
    active = CaseMediator.objects.filter(case=locked, withdrawn_at__isnull=True)
    assignment = active.filter(mediator=mediator).first()
    if assignment is None:
        raise field_error("mediator", _("This mediator is not assigned to the case."))
    if active.count() == 1:
        raise Conflict(E.LAST_MEDIATOR, _("Assign another mediator before this one withdraws."))
    assignment.withdrawn_at = timezone.now()
    assignment.withdrawal_reason = reason.strip()
    assignment.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    if assignment.is_presiding:
        successor = active.exclude(pk=assignment.pk).order_by("assigned_at").first()
        if successor is not None:
            CaseMediator.objects.filter(pk=successor.pk).update(is_presiding=True)
    _log(locked, actor, "mediator_withdraw", reason, {"mediator": mediator.full_name})
    bump(locked)
    audit.record(
        EventType.MEDIATOR_WITHDRAWN,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        reason=reason,
        after={"mediator": mediator.full_name},
    )
    return assignment


@transaction.atomic
def mediator_add(
    *, actor: User, case: Case, mediator: User, version: int | None = None
) -> CaseMediator:
    """Add a mediator to a case in mediation (e.g. to replace one who withdrew)."""

    locked = lock_case(actor, case, capability=Capability.CASE_ASSIGN)
    check_version(locked, version)
    require_status(locked, CaseStatus.IN_MEDIATION)
    if not (
        mediator.is_active
        and mediator.organisation_id == locked.committee_id
        and mediator.role in (Role.MEDIATOR, Role.COMMITTEE_DIRECTOR)
    ):
        raise field_error(
            "mediator", _("Every mediator must be an active mediator of this committee.")
        )
    if CaseMediator.objects.filter(
        case=locked, mediator=mediator, withdrawn_at__isnull=True
    ).exists():
        raise field_error("mediator", _("This mediator is already assigned."))
    assignment = CaseMediator.objects.create(case=locked, mediator=mediator)
    _log(locked, actor, "mediator_add", "", {"mediator": mediator.full_name})
    bump(locked)
    audit.record(
        EventType.MEDIATOR_ADDED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        after={"mediator": mediator.full_name},
    )
    return assignment


@transaction.atomic
def case_extend(
    *,
    actor: User,
    case: Case,
    until: dt.date,
    reason: str,
    parties_consent: bool,
    version: int | None = None,
) -> Case:
    """Extend the one-month norm, with both parties' consent, as often as the locality allows.
    The committee director approves an extension: only a director grants it."""
    locked = lock_case(actor, case, capability=Capability.CASE_ASSIGN)
    check_version(locked, version)
    require_status(locked, CaseStatus.ACCEPTED, CaseStatus.IN_MEDIATION)
    if not parties_consent:
        raise field_error("parties_consent", _("An extension needs both parties' consent."))
    if not reason.strip():
        raise field_error("reason", _("Say why the mediation needs more time."))
    current = locked.extended_to or locked.due_on
    if current is None or until <= current:
        raise field_error("until", _("The new deadline must be later than the current one."))
    extensions = locked.transitions.filter(action="extend").count()
    if extensions >= settings.TIAOJIE_MEDIATION_EXTENSIONS:
        raise Conflict(E.EXTENSION_LIMIT, _("The mediation period cannot be extended again."))
    before = {"extended_to": locked.extended_to}
    locked.extended_to = until
    locked.extension_reason = reason.strip()
    locked.version += 1
    locked.save()
    locked.transitions.create(
        action="extend",
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        actor_name=actor.full_name,
        at=timezone.now(),
        reason=reason,
        data={"until": until.isoformat()},
    )
    audit.record(
        EventType.CASE_EXTENDED,
        actor=actor,
        organisation=locked.committee,
        obj=locked,
        reason=reason,
        before=before,
        after={"extended_to": until},
    )
    events.publish(
        "case.extended",
        {"case_id": locked.pk, "committee_id": locked.committee_id, "until": until},
    )
    return locked
