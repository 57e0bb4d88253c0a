"""A step recorded later carries the day it happened (``on=``), and no day ahead is taken.

The demo and imports record cases that happened earlier this year; they go through the same
services with ``on=`` instead of rewriting dates afterwards, so the case, its transition rows
and its audit trail agree on when each step happened."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case
from tiaojie.cases.services import intake
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.core.errors import ValidationFailed


def test_a_past_day_is_recorded_on_the_case_its_steps_and_its_audit_trail(world: World) -> None:
    mediator = world.user("demo_mediator")
    day = timezone.localdate() - dt.timedelta(days=20)
    case = intake.case_register(actor=mediator, data=f.case_data(), on=day)
    case = transition(actor=mediator, case=case, action="accept", on=day)
    assert timezone.localdate(case.registered_at) == day
    assert case.accepted_on == day
    assert case.due_on is not None and case.due_on > day  # counted from the day, not today
    row = case.transitions.get()
    assert timezone.localdate(row.at) == day
    event = AuditEvent.objects.get(event_type=EventType.CASE_MOVED, object_id=str(case.pk))
    assert event.after is not None and event.after["on"] == day.isoformat()


def test_a_day_ahead_is_refused_and_nothing_moves(world: World) -> None:
    mediator = world.user("demo_mediator")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    case = f.register(mediator)
    with pytest.raises(ValidationFailed) as refused:
        transition(actor=mediator, case=case, action="accept", on=tomorrow)
    assert refused.value.code == "future_date"
    assert "on" in refused.value.fields
    case = Case.objects.get(pk=case.pk)
    assert case.status == CaseStatus.REGISTERED and not case.transitions.exists()
    with pytest.raises(ValidationFailed) as refused:
        intake.case_register(actor=mediator, data=f.case_data(), on=tomorrow)
    assert refused.value.code == "future_date"
    assert Case.objects.count() == 1


def test_today_is_the_default(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = transition(actor=mediator, case=f.register(mediator), action="accept")
    assert case.accepted_on == timezone.localdate()
    event = AuditEvent.objects.get(event_type=EventType.CASE_MOVED, object_id=str(case.pk))
    assert "on" not in (event.after or {})
