"""Prevented escalations (防止民转刑, 群体性上访, 群体性械斗, 自杀) recorded on a case."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy
from tiaojie.core import events
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.screening.choices import EscalationKind
from tiaojie.screening.error_codes import ScreeningErrorCode as E
from tiaojie.screening.models import PreventedEscalation

RECORD = Capability.CASE_HANDLE


def may_record(user: User, case: Case) -> bool:
    """The committee handling the case records what its mediation prevented."""
    return user.can(RECORD) and case_policy.allows(user, RECORD, case)


@transaction.atomic
def escalation_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    people: int | None,
    recorded_on: dt.date | None,
    note: str = "",
) -> PreventedEscalation:
    """Record that the case's mediation prevented ``kind``, concerning ``people`` people; once
    per kind and case. Publishes ``escalation.prevented`` for the statistics."""
    if not may_record(actor, case):
        raise NotPermitted(E.NOT_PERMITTED, _("Only the committee handling the case records this."))
    errors: dict[str, list[str]] = {}
    if kind not in EscalationKind.values:
        errors["kind"] = [_("Choose what was prevented.")]
    elif PreventedEscalation.objects.filter(case=case, kind=kind).exists():
        errors["kind"] = [_("This is already recorded on the case.")]
    if people is None or people < 1:
        errors["people"] = [_("At least one person is involved.")]
    if recorded_on is None:
        errors["recorded_on"] = [_("Enter the date.")]
    elif recorded_on > timezone.localdate():
        errors["recorded_on"] = [_("The date cannot be in the future.")]
    if errors or people is None or recorded_on is None:
        raise ValidationFailed(E.INVALID, _("Please correct the errors below."), fields=errors)
    row = PreventedEscalation.objects.create(
        case=case,
        committee_id=case.committee_id,
        committee_path=case.committee_path,
        kind=kind,
        people=people,
        recorded_on=recorded_on,
        note=note.strip()[:200],
        recorded_by=actor,
    )
    audit.record(
        EventType.ESCALATION_PREVENTED,
        actor=actor,
        organisation=case.committee,
        obj=case,
        after={"kind": kind, "people": people, "recorded_on": recorded_on},
    )
    events.publish(
        "escalation.prevented",
        {
            "case_id": case.pk,
            "committee_id": case.committee_id,
            "kind": kind,
            "people": people,
            "recorded_on": recorded_on.isoformat(),
        },
    )
    return row
