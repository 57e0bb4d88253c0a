"""The accountability trace of a case built through the services, its times set step by step
(the moves' ``at`` updated directly, as the brief allows for tests), and the reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tiaojie.cases.models import Case, CaseTransition
from tiaojie.cases.services import records
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.supervision.models import CloseOut, Supervision
from tiaojie.supervision.reports import build
from tiaojie.supervision.services.ledger import close_out
from tiaojie.supervision.services.supervision import supervision_transition
from tiaojie.supervision.tests.helpers import flag
from tiaojie.supervision.trace import StepKind, case_trace

# March 2025 has no public holiday: working days are Monday to Friday.


def at(day: str, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def _time(case: Case, action: str, when: dt.datetime) -> None:
    CaseTransition.objects.filter(case=case, action=action).update(at=when)


def build_case(world: World) -> Case:
    """Registered 3 March, accepted 10 March (3-day limit missed by 2), mediated by 李建国,
    joined by a second mediator on 17 March, who takes over on 20 March; due 31 March, failed
    2 April (missed by 2); supervised 12–21 March with a deadline of 19 March (missed by 2);
    closed out 3 April."""
    mediator, director = world.user("demo_mediator"), world.user("demo_director")
    second = world.user("mediator01")
    case = f.register(mediator)
    case = transition(actor=mediator, case=case, action="accept")
    case = transition(
        actor=mediator, case=case, action="start_mediation", data={"mediator_ids": [mediator.pk]}
    )
    sup = flag(world.user("demo_street"), case)
    records.mediator_add(actor=director, case=Case.objects.get(pk=case.pk), mediator=second)
    records.mediator_withdraw(
        actor=director, case=Case.objects.get(pk=case.pk), mediator=mediator, reason="回避"
    )
    supervision_transition(
        actor=world.user("demo_street"), supervision=sup, action="close", data={"outcome": "已督促"}
    )
    case = f.with_session(second, Case.objects.get(pk=case.pk))
    case = transition(
        actor=second, case=case, action="fail", reason="分歧大", data={"routes_told": True}
    )
    close_out(actor=director, case=case, reason="referred_on")
    Case.objects.filter(pk=case.pk).update(
        registered_at=at("2025-03-03"), due_on=dt.date(2025, 3, 31), closed_on=dt.date(2025, 4, 2)
    )
    for action, day in (
        ("accept", "2025-03-10"),
        ("start_mediation", "2025-03-11"),
        ("mediator_add", "2025-03-17"),
        ("mediator_withdraw", "2025-03-20"),
        ("fail", "2025-04-02"),
    ):
        _time(case, action, at(day))
    Supervision.objects.filter(pk=sup.pk).update(
        opened_at=at("2025-03-12"), deadline=dt.date(2025, 3, 19), closed_at=at("2025-03-21")
    )
    CloseOut.objects.filter(case=case).update(
        at=at("2025-04-03"), closed_on=dt.date(2025, 4, 3), registered_at=at("2025-03-03")
    )
    return Case.objects.get(pk=case.pk)


def test_the_trace_shows_who_held_each_step_and_what_was_missed(world: World) -> None:
    case = build_case(world)
    steps = case_trace(case)
    summary = [
        (s.kind, s.status, s.person_names, s.working_days, s.deadline, s.missed, s.days_late)
        for s in steps
    ]
    assert summary == [
        ("acceptance", "registered", "王秀兰", 5, dt.date(2025, 3, 6), True, 2),
        ("mediation", "accepted", "王秀兰", 1, dt.date(2025, 3, 31), False, 0),
        ("mediation", "in_mediation", "李建国", 4, dt.date(2025, 3, 31), False, 0),
        ("supervision", "", "李建国", 7, dt.date(2025, 3, 19), True, 2),
        ("mediation", "in_mediation", "李建国、陈淑芬", 3, dt.date(2025, 3, 31), False, 0),
        ("mediation", "in_mediation", "陈淑芬", 9, dt.date(2025, 3, 31), True, 2),
        ("closure", "failed", "陈淑芬", 1, None, False, 0),
    ]
    assert steps[0].calendar_days == 7
    assert {s.organisation for s in steps} == {"东湖社区人民调解委员会"}
    assert steps[-1].end == at("2025-04-03")  # ends at the close-out
    assert "东湖街道司法所" in steps[3].label


def test_a_queued_case_starts_at_its_governance_centre(world: World) -> None:
    from tiaojie.cases.services import intake

    street = world.user("demo_street")
    case = intake.case_register(actor=street, data=f.case_data())
    committee = world.org("东湖社区人民调解委员会")
    transition(actor=street, case=case, action="route", data={"committee_id": committee.pk})
    steps = case_trace(Case.objects.get(pk=case.pk))
    assert [(s.kind, s.organisation) for s in steps] == [
        (StepKind.TRIAGE, "东湖街道司法所"),
        (StepKind.ACCEPTANCE, "东湖社区人民调解委员会"),
    ]
    assert steps[0].person_names == "陈立新" and steps[-1].end is None


def test_reports_per_committee_and_per_mediator(world: World) -> None:
    case = build_case(world)
    march = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    committee = world.org("东湖社区人民调解委员会")
    report = build(Case.objects.filter(pk=case.pk), *march, org_path=committee.path)
    rows = {r.kind: (r.steps, r.median_days, r.max_days, r.missed) for r in report.rows}
    assert rows == {
        "acceptance": (1, 5.0, 5, 1),
        "mediation": (4, 3.5, 9, 1),
        "supervision": (1, 7.0, 7, 1),
    }
    assert [c.case for c in report.cases] == [case]
    second = world.user("mediator01")
    mine = build(Case.objects.filter(pk=case.pk), *march, mediator_id=second.pk)
    assert [(r.kind, r.steps, r.missed) for r in mine.rows] == [("mediation", 2, 1)]


def test_a_report_traces_the_cases_registered_moved_or_supervised_in_its_period(
    world: World,
) -> None:
    """The report reads only the cases with a step starting in the period; its figures are
    those of tracing every case and keeping the steps that start in the period."""
    from tiaojie.supervision.reports import period_cases

    moved = build_case(world)  # registered 3 March, moved in March and on 2 April
    quiet = f.register(world.user("demo_mediator"))  # registered in February, nothing since
    Case.objects.filter(pk=quiet.pk).update(registered_at=at("2025-02-10"))
    supervised = f.register(world.user("demo_mediator"))  # February, supervised 14 April
    Case.objects.filter(pk=supervised.pk).update(registered_at=at("2025-02-11"))
    sup = flag(world.user("demo_street"), supervised)
    Supervision.objects.filter(pk=sup.pk).update(opened_at=at("2025-04-14"))
    CaseTransition.objects.filter(case__in=[quiet, supervised]).update(at=at("2025-02-12"))

    periods = {
        (dt.date(2025, 2, 1), dt.date(2025, 2, 28)): {quiet.pk, supervised.pk},
        (dt.date(2025, 3, 1), dt.date(2025, 3, 31)): {moved.pk},
        (dt.date(2025, 3, 12), dt.date(2025, 3, 16)): {moved.pk},  # the supervision opens
        (dt.date(2025, 4, 1), dt.date(2025, 4, 30)): {moved.pk, supervised.pk},
        (dt.date(2025, 5, 1), dt.date(2025, 5, 31)): set(),
    }
    everyone = Case.objects.filter(pk__in=[moved.pk, quiet.pk, supervised.pk])
    for (start, end), expected in periods.items():
        assert set(period_cases(everyone, start, end).values_list("pk", flat=True)) == expected
        report = build(everyone, start, end)
        steps: dict[str, int] = {}
        for case in everyone:
            for step in case_trace(case):
                if start <= timezone.localdate(step.start) <= end:
                    steps[step.kind] = steps.get(step.kind, 0) + 1
        assert {r.kind: r.steps for r in report.rows} == steps, (start, end)
        assert steps or not expected, (start, end)


def test_trace_pages(world: World, client_as: Callable[[str], Client]) -> None:
    case = build_case(world)
    page = client_as("demo_street").get(reverse("supervision:case_trace", args=[case.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and body.count('data-missed="yes"') == 3
    assert (
        client_as("demo_mediator_b")
        .get(reverse("supervision:case_trace", args=[case.pk]))
        .status_code
        == 404
    )
    url = reverse("supervision:trace_report")
    query: dict[str, str | int] = {"start": "2025-03-01", "end": "2025-03-31"}
    committee = world.org("东湖社区人民调解委员会")
    director = client_as("demo_director").get(url, query)
    assert director.status_code == 200 and case.number in director.content.decode()
    other = world.org("梨园社区人民调解委员会")
    assert client_as("demo_director").get(url, {"organisation": other.pk}).status_code == 404
    district = client_as("demo_district").get(url, {**query, "organisation": committee.pk})
    assert case.number in district.content.decode()
    assert client_as("demo_mediator").get(url).status_code == 403
    second = world.user("mediator01")
    by_mediator = client_as("demo_director").get(url, {**query, "mediator": second.pk})
    assert case.number in by_mediator.content.decode()
    assert (
        client_as("demo_director")
        .get(url, {"mediator": world.user("demo_mediator_b").pk})
        .status_code
        == 404
    )


def test_the_trace_page_reads_a_case_in_the_same_queries_however_long_its_history(
    world: World, client_as: Callable[[str], Client]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mediator, director, street = (
        world.user("demo_mediator"),
        world.user("demo_director"),
        world.user("demo_street"),
    )
    case = f.to_mediation(mediator, f.register(mediator))
    client = client_as("demo_street")
    url = reverse("supervision:case_trace", args=[case.pk])
    client.get(url)  # the first request of a session also writes the session

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    short = queries()
    for _ in range(2):
        sup = flag(street, Case.objects.get(pk=case.pk))
        supervision_transition(
            actor=street, supervision=sup, action="close", data={"outcome": "已督促"}
        )
    for name in ("mediator01", "demo_director"):
        records.mediator_add(
            actor=director, case=Case.objects.get(pk=case.pk), mediator=world.user(name)
        )
    assert client.get(url).content.decode().count('data-kind="supervision"') == 2
    assert queries() == short
