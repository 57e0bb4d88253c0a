"""Supervised cases through the services: who may flag, report and decide, what each does,
and the overdue scan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import CaseMediator
from tiaojie.cases.services import intake
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.notifications.models import Notification
from tiaojie.supervision.choices import SupervisionStatus
from tiaojie.supervision.models import Supervision
from tiaojie.supervision.services.supervision import (
    escalate_overdue,
    supervision_open,
    supervision_transition,
)
from tiaojie.supervision.tests.helpers import calendar, flag, rest_day, working_day

INSTRUCTIONS = "请于期限内化解并报告。"


def test_one_open_supervision_per_case_is_a_database_constraint(world: World) -> None:
    case = f.register(world.user("demo_mediator"))
    sup = flag(world.user("demo_street"), case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Supervision.objects.create(
            case=case,
            supervising_org=world.org("东湖区司法局"),
            opened_at=timezone.now(),
            deadline=sup.deadline,
            instructions="x",
            level=1,
        )
    # A closed one does not count: the case may be flagged again.
    Supervision.objects.filter(pk=sup.pk).update(status=SupervisionStatus.CLOSED)
    assert flag(world.user("demo_district"), case).status == SupervisionStatus.OPEN


def test_flagging_notifies_the_committee_and_is_audited(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    sup = flag(world.user("demo_street"), case)
    assert sup.supervising_org == world.org("东湖街道司法所")
    assert sup.level == world.org("东湖街道司法所").depth
    told = set(
        Notification.objects.filter(key=f"supervision:{sup.pk}:opened").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"demo_director", "demo_mediator"}
    event = AuditEvent.objects.get(event_type=EventType.SUPERVISION_OPENED)
    assert event.after is not None
    assert event.after["case_id"] == case.pk and "instructions" not in event.after
    with pytest.raises(Conflict) as refused:
        flag(world.user("demo_district"), case)
    assert refused.value.code == "already_supervised"


def test_only_a_higher_level_flags(world: World) -> None:
    # A dispute in the office's own governance-centre queue: the office holds it itself.
    queued = intake.case_register(actor=world.user("demo_street"), data=f.case_data())
    assert queued.status == "queued"
    with pytest.raises(NotPermitted) as same_level:
        flag(world.user("demo_street"), queued)
    assert same_level.value.code == "same_level"
    # The district above may flag it.
    assert flag(world.user("demo_district"), queued).status == "open"
    # A case held at the district's centre is above the office: out of its reach.
    at_district = intake.case_register(actor=world.user("demo_district"), data=f.case_data())
    with pytest.raises(NotPermitted):
        flag(world.user("demo_street"), at_district)
    # Committee staff do not flag at all.
    with pytest.raises(NotPermitted):
        flag(world.user("demo_director"), f.register(world.user("demo_mediator")))
    assert Supervision.objects.count() == 1


def test_an_ended_case_or_a_bad_deadline_is_refused(world: World) -> None:
    mediator = world.user("demo_mediator")
    street = world.user("demo_street")
    declined = transition(
        actor=mediator,
        case=f.register(mediator),
        action="decline",
        reason="已起诉",
        data={"decline_reason": "before_other_body"},
    )
    with pytest.raises(Conflict) as ended:
        flag(street, declined)
    assert ended.value.code == "case_ended"
    case = f.register(mediator)
    for day, code in (
        (timezone.localdate(), "deadline_past"),
        (rest_day(), "deadline_rest_day"),
    ):
        with pytest.raises(ValidationFailed) as bad:
            flag(street, case, day)
        assert bad.value.code == code and "deadline" in bad.value.fields
    with pytest.raises(ValidationFailed) as no_text:
        supervision_open(actor=street, case=case, deadline=working_day(), instructions=" ")
    assert no_text.value.fields.keys() == {"instructions"}
    assert not Supervision.objects.exists()


def test_the_committee_reports_and_the_supervisor_hears_of_it(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    sup = flag(world.user("demo_street"), case)
    for outsider in ("demo_street", "demo_mediator_b", "demo_district"):
        with pytest.raises(NotPermitted):
            supervision_transition(
                actor=world.user(outsider), supervision=sup, action="report", reason="进展"
            )
    sup = supervision_transition(
        actor=mediator, supervision=sup, action="report", reason="已组织双方面谈两次"
    )
    assert sup.status == SupervisionStatus.OPEN
    assert [r.action for r in sup.reports.all()] == ["open", "report"]
    assert sup.reports.last().reason == "已组织双方面谈两次"  # type: ignore[union-attr]
    assert Notification.objects.filter(
        recipient=world.user("demo_street"), kind="supervision"
    ).exists()
    event = AuditEvent.objects.get(event_type=EventType.SUPERVISION_REPORTED)
    assert "面谈" not in str(event.after) and event.reason == ""
    # The director reports too, before any mediator is assigned on another case.
    other = flag(world.user("demo_street"), f.register(mediator))
    supervision_transition(
        actor=world.user("demo_director"), supervision=other, action="report", reason="已受理"
    )


def test_the_supervisor_extends_and_closes(world: World) -> None:
    case = f.register(world.user("demo_mediator"))
    street = world.user("demo_street")
    sup = flag(street, case, working_day(3))
    with pytest.raises(NotPermitted):
        supervision_transition(
            actor=world.user("demo_director"),
            supervision=sup,
            action="extend",
            reason="x",
            data={"deadline": working_day(8)},
        )
    with pytest.raises(ValidationFailed) as earlier:
        supervision_transition(
            actor=street,
            supervision=sup,
            action="extend",
            reason="当事人外出",
            data={"deadline": working_day(2)},
        )
    assert earlier.value.fields.keys() == {"deadline"}
    sup = supervision_transition(
        actor=street,
        supervision=sup,
        action="extend",
        reason="当事人外出务工",
        data={"deadline": working_day(8)},
        version=sup.version,
    )
    assert sup.deadline == working_day(8) and sup.version == 2
    with pytest.raises(Conflict) as stale:
        supervision_transition(
            actor=street, supervision=sup, action="close", data={"outcome": "x"}, version=1
        )
    assert stale.value.code == "stale_version"
    # The district above the office may decide as well.
    sup = supervision_transition(
        actor=world.user("demo_district"),
        supervision=sup,
        action="close",
        data={"outcome": "纠纷已化解"},
    )
    assert sup.status == SupervisionStatus.CLOSED and sup.closed_by == world.user("demo_district")
    with pytest.raises(Conflict):
        supervision_transition(actor=street, supervision=sup, action="report", reason="x")
    extended = AuditEvent.objects.get(event_type=EventType.SUPERVISION_EXTENDED)
    assert extended.before is not None
    assert extended.before["deadline"] == working_day(3).isoformat()


def test_escalation_rises_a_level_until_the_top(world: World) -> None:
    case = f.register(world.user("demo_mediator"))
    office = flag(world.user("demo_street"), case)
    supervision_transition(
        actor=world.user("demo_street"), supervision=office, action="escalate", reason="久拖不决"
    )
    office.refresh_from_db()
    assert office.status == SupervisionStatus.ESCALATED
    district = Supervision.objects.get(case=case, status="open")
    assert district.supervising_org == world.org("东湖区司法局")
    assert district.parent == office and district.level == office.level - 1
    assert district.opened_by == world.user("demo_street")
    supervision_transition(
        actor=world.user("demo_district"), supervision=district, action="escalate", reason="升级"
    )
    city = Supervision.objects.get(case=case, status="open")
    assert city.supervising_org == world.org("临江市司法局")
    with pytest.raises(Conflict) as top:
        supervision_transition(
            actor=world.user("demo_city"), supervision=city, action="escalate", reason="x"
        )
    assert top.value.code == "top_level"
    assert AuditEvent.objects.filter(event_type=EventType.SUPERVISION_ESCALATED).count() == 2


def test_overdue_supervisions_escalate_once(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.register(mediator)
    sup = flag(world.user("demo_street"), case)
    on_time = flag(world.user("demo_street"), f.register(mediator))
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Supervision.objects.filter(pk=sup.pk).update(deadline=yesterday)
    assert escalate_overdue() == 1
    assert escalate_overdue() == 0  # safe to run twice
    sup.refresh_from_db()
    past = f"督办期限{yesterday.year}年{yesterday.month}月{yesterday.day}日已过。"
    assert sup.status == SupervisionStatus.ESCALATED and sup.outcome == past
    successor = Supervision.objects.get(parent=sup)
    assert successor.status == "open" and successor.opened_by is None
    assert successor.supervising_org == world.org("东湖区司法局")
    assert successor.deadline > timezone.localdate()
    on_time.refresh_from_db()
    assert on_time.status == "open"
    event = AuditEvent.objects.get(event_type=EventType.SUPERVISION_ESCALATED)
    assert event.actor is None and event.reason == past
    # The committee is told of the new level, and the district's officers that it is theirs.
    assert Notification.objects.filter(key=f"supervision:{successor.pk}:opened").exists()
    told = Notification.objects.get(
        key=f"supervision:{successor.pk}:escalated", recipient=world.user("demo_district")
    )
    assert told.title.endswith(f"已提级至本级：{past}")  # words, not the code "overdue"


def test_report_permission_follows_assignment(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    sup = flag(world.user("demo_street"), case)
    CaseMediator.objects.filter(case=case).update(withdrawn_at=timezone.now())
    with pytest.raises(NotPermitted):
        supervision_transition(actor=mediator, supervision=sup, action="report", reason="x")


def test_a_flag_recorded_later_carries_its_day(world: World) -> None:
    # The demo flags a case three weeks back, so that its deadline has passed.
    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    today = timezone.localdate()
    day = today - dt.timedelta(days=21)
    deadline = calendar().add_working_days(day, 1)
    sup = supervision_open(
        actor=world.user("demo_street"),
        case=case,
        deadline=deadline,
        instructions=INSTRUCTIONS,
        on=day,
    )
    assert timezone.localdate(sup.opened_at) == day and sup.deadline == deadline
    assert timezone.localdate(sup.reports.get().at) == day  # the history's flag row
    event = AuditEvent.objects.get(event_type=EventType.SUPERVISION_OPENED)
    assert event.after is not None and event.after["on"] == day.isoformat()
    assert escalate_overdue(today) == 1  # its deadline has passed


def test_a_flag_dated_ahead_is_refused_and_nothing_is_flagged(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator))
    with pytest.raises(ValidationFailed) as refused:
        supervision_open(
            actor=world.user("demo_street"),
            case=case,
            deadline=working_day(),
            instructions=INSTRUCTIONS,
            on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert refused.value.code == "future_date" and "on" in refused.value.fields
    assert not Supervision.objects.exists()
