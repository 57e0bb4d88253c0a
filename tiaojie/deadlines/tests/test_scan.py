"""The scan: alerts raised once, notified once, cleared when the case moves or is extended."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case
from tiaojie.cases.services import records
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.deadlines.models import DeadlineAlert
from tiaojie.deadlines.scan import refresh_case_alerts, run_scan
from tiaojie.deadlines.tests.helpers import DIRECTOR, MEDIATOR, user
from tiaojie.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _overdue_mediation() -> tuple[Case, dt.date]:
    mediator = user(MEDIATOR)
    case = f.to_mediation(mediator, f.register(mediator))
    assert case.due_on is not None
    return case, case.due_on + dt.timedelta(days=2)


def test_running_twice_raises_and_notifies_once() -> None:
    case, late = _overdue_mediation()
    first = run_scan(late)
    assert first.raised == 1
    alert = DeadlineAlert.objects.get(case=case)
    assert (alert.kind, alert.level, alert.due_on) == ("mediation", "overdue", case.due_on)
    notes = Notification.objects.filter(key=f"deadline:{alert.pk}")
    # The assigned mediator and the committee's director.
    assert {n.recipient.username for n in notes} == {MEDIATOR, DIRECTOR}
    assert all(n.kind == "overdue" and n.case_id == case.pk for n in notes)
    assert notes[0].url == f"/cases/{case.pk}/"

    second = run_scan(late)
    assert (second.raised, second.cleared, second.notified) == (0, 0, 0)
    assert DeadlineAlert.objects.filter(case=case).count() == 1
    assert Notification.objects.filter(case=case).count() == 2
    runs = AuditEvent.objects.filter(event_type=EventType.DEADLINE_SCAN_RUN).order_by("id")
    assert runs.count() == 2
    last = runs.last()
    assert last is not None and last.after is not None
    assert last.after["raised"] == 0 and last.actor is None


def test_near_due_turns_into_overdue() -> None:
    case, late = _overdue_mediation()
    due = late - dt.timedelta(days=2)
    run_scan(due)
    near = DeadlineAlert.objects.get(case=case)
    assert near.level == "near_due"
    run_scan(due + dt.timedelta(days=1))
    near.refresh_from_db()
    assert near.cleared_at is not None
    assert DeadlineAlert.objects.get(case=case, cleared_at__isnull=True).level == "overdue"


def test_an_extension_clears_the_overdue_alert_at_once() -> None:
    case, late = _overdue_mediation()
    run_scan(late)
    assert DeadlineAlert.objects.filter(case=case, cleared_at__isnull=True).exists()
    records.case_extend(
        actor=user(DIRECTOR),
        case=case,
        until=late + dt.timedelta(days=20),
        reason="双方同意延长",
        parties_consent=True,
    )
    # The extension re-judged the case: the alert is cleared without waiting for the scan,
    # and the next scan finds nothing to raise again.
    assert not DeadlineAlert.objects.filter(case=case, cleared_at__isnull=True).exists()
    result = run_scan(late)
    assert (result.raised, result.cleared) == (0, 0)


def test_refresh_clears_at_once_after_a_move() -> None:
    mediator = user(MEDIATOR)
    case = f.register(mediator)
    late = case.registered_at.date() + dt.timedelta(days=12)
    run_scan(late)
    assert DeadlineAlert.objects.get(case=case, cleared_at__isnull=True).kind == "accept"
    alert = DeadlineAlert.objects.get(case=case, cleared_at__isnull=True)
    result = refresh_case_alerts(case, late)
    assert result.cleared == 0 and result.open_alerts == 1  # still late on that day
    case = transition(actor=mediator, case=case, action="accept")
    # The move itself refreshed the case's alerts: the accept alert is gone at once.
    alert.refresh_from_db()
    assert alert.cleared_at is not None


def test_a_closed_case_loses_its_alerts() -> None:
    case, late = _overdue_mediation()
    run_scan(late)
    transition(
        actor=user(MEDIATOR),
        case=case,
        action="terminate",
        reason="申请人撤回",
        data={"end_reason": "party_withdraws"},
    )
    assert not DeadlineAlert.objects.filter(case=case, cleared_at__isnull=True).exists()
    assert run_scan(late).open_alerts == 0


def test_the_command_takes_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    case, late = _overdue_mediation()
    call_command("scan_deadlines", "--date", late.isoformat())
    assert "raised 1" in capsys.readouterr().out
    assert DeadlineAlert.objects.filter(case=case, cleared_at__isnull=True).exists()


def test_the_task_runs_the_scan() -> None:
    from tiaojie.deadlines.tasks import scan_deadlines_task

    case, late = _overdue_mediation()
    scan_deadlines_task.enqueue(late.isoformat())
    assert DeadlineAlert.objects.filter(case=case, cleared_at__isnull=True).exists()


def test_a_longer_rule_clears_the_alert_and_the_next_scan_agrees() -> None:
    from tiaojie.deadlines.services.rules import deadline_rule_save

    case = f.register(user(MEDIATOR))
    late = case.registered_at.date() + dt.timedelta(days=10)
    run_scan(late)
    assert DeadlineAlert.objects.get(case=case, cleared_at__isnull=True).level == "overdue"
    deadline_rule_save(
        actor=user("demo_district"), kind="accept", value=30, unit="working_days", near_due_days=2
    )
    assert not DeadlineAlert.objects.filter(case=case, cleared_at__isnull=True).exists()
    assert run_scan(late).raised == 0


def test_a_refresh_clears_the_kinds_of_earlier_steps_in_one_go() -> None:
    """A stale alert of a kind that no longer runs in the case's status clears, the running
    kind's alert stays, and the refresh reads only the kinds the status can hold."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case, late = _overdue_mediation()
    run_scan(late)
    running = DeadlineAlert.objects.get(case=case, cleared_at__isnull=True)
    stale = DeadlineAlert.objects.create(
        case=case, kind="accept", level="overdue", due_on=late, raised_at=running.raised_at
    )
    with CaptureQueriesContext(connection) as queries:
        result = refresh_case_alerts(case, late)
    assert (result.raised, result.cleared, result.open_alerts) == (0, 1, 1)
    stale.refresh_from_db()
    running.refresh_from_db()
    assert stale.cleared_at is not None and running.cleared_at is None
    # Context (2), status (1), stale kinds (1), the mediation pairs (3 + 2), the count (1),
    # the transaction's savepoint (2): not two queries for every one of the seven pairs.
    assert len(queries) <= 13
