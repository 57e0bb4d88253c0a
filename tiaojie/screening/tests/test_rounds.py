"""Screening rounds: the schedule, opening rounds, reporting with findings or a nil report,
the nightly overdue marking, and the event the statistics listen to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.core.models import OutboxEvent
from tiaojie.screening import periods
from tiaojie.screening.choices import Frequency, Level, RoundStatus
from tiaojie.screening.models import Round
from tiaojie.screening.services import findings, rounds
from tiaojie.screening.tests import helpers as h

pytestmark = pytest.mark.django_db


def test_periods_week_month_quarter() -> None:
    day = dt.date(2026, 12, 2)  # a Wednesday
    assert periods.bounds(Frequency.WEEKLY, day) == (dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    assert periods.bounds(Frequency.MONTHLY, day) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert periods.bounds(Frequency.QUARTERLY, day) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    assert periods.bounds(Frequency.MONTHLY, dt.date(2026, 2, 10))[1] == dt.date(2026, 2, 28)


def test_rounds_open_per_level_with_defaults_and_once(world: World) -> None:
    day = dt.date(2026, 12, 2)
    opened = rounds.rounds_open(day)
    assert opened > 0
    assert rounds.rounds_open(day) == 0  # running it again opens nothing
    committee = Round.objects.get(organisation=world.org(h.COMMITTEE_A))
    assert (committee.level, committee.frequency) == (Level.COMMUNITY, Frequency.WEEKLY)
    assert committee.due_on == dt.date(2026, 12, 6)
    office = Round.objects.get(organisation=world.org("东湖街道司法所"))
    assert (office.level, office.due_on) == (Level.STREET, dt.date(2026, 12, 31))
    district = Round.objects.get(organisation=world.org("东湖区司法局"))
    assert (district.level, district.frequency) == (Level.DISTRICT, Frequency.QUARTERLY)
    # The city bureau and grids owe no rounds of their own.
    assert not Round.objects.filter(organisation=world.org("临江市司法局")).exists()


def test_a_bureau_schedule_applies_to_its_subtree(world: World) -> None:
    rounds.schedule_set(
        actor=world.user("demo_district"), level=Level.COMMUNITY, frequency=Frequency.MONTHLY
    )
    assert rounds.frequency_for(world.org(h.COMMITTEE_A), Level.COMMUNITY) == Frequency.MONTHLY
    # The other district keeps the national practice.
    xishan_committee = next(
        o
        for o in rounds.screening_organisations()
        if rounds.level_of(o) == Level.COMMUNITY
        and not o.path.startswith(world.org("东湖区司法局").path)
    )
    assert rounds.frequency_for(xishan_committee, Level.COMMUNITY) == Frequency.WEEKLY
    with pytest.raises(NotPermitted):
        rounds.schedule_set(
            actor=world.user("demo_street"), level=Level.STREET, frequency=Frequency.WEEKLY
        )


def test_nil_report_publishes_the_event_with_its_exact_payload(world: World) -> None:
    screening_round = h.make_round()
    reported = rounds.round_report(
        actor=world.user("demo_director"), screening_round=screening_round, nil=True
    )
    assert reported.status == RoundStatus.REPORTED and reported.nil_report
    event = OutboxEvent.objects.get(name="screening.round_reported")
    assert event.payload == {
        "round_id": screening_round.pk,
        "organisation_id": world.org(h.COMMITTEE_A).pk,
        "reported_on": timezone.localdate().isoformat(),
        "findings": 0,
        "nil": True,
    }
    assert OutboxEvent.objects.filter(name="screening_round.moved").count() == 1
    assert reported.transitions.get().actor_name  # who reported it is kept


def test_a_round_ends_in_findings_or_an_explicit_nil_report(world: World) -> None:
    director = world.user("demo_director")
    screening_round = h.make_round()
    with pytest.raises(ValidationFailed) as nothing:
        rounds.round_report(actor=director, screening_round=screening_round, nil=False)
    assert nothing.value.code == "nothing_found" and "nil" in nothing.value.fields
    findings.finding_record(
        actor=director,
        screening_round=screening_round,
        data=findings.FindingData(place="东湖小区3栋", what="楼上漏水，两户争吵"),
    )
    with pytest.raises(ValidationFailed) as both:
        rounds.round_report(actor=director, screening_round=screening_round, nil=True)
    assert both.value.code == "has_findings"
    reported = rounds.round_report(actor=director, screening_round=screening_round, nil=False)
    assert (reported.findings_count, reported.nil_report) == (1, False)
    payload = OutboxEvent.objects.get(name="screening.round_reported").payload
    assert (payload["findings"], payload["nil"]) == (1, False)
    with pytest.raises(Conflict):
        rounds.round_report(actor=director, screening_round=reported, nil=False)


def test_only_the_rounds_own_people_or_its_assignee_report(world: World) -> None:
    screening_round = h.make_round()
    for outsider in ("demo_mediator_b", "demo_street", "demo_grid"):
        with pytest.raises(NotPermitted):
            rounds.round_report(
                actor=world.user(outsider), screening_round=screening_round, nil=True
            )
    rounds.round_assign(
        actor=world.user("demo_director"),
        screening_round=screening_round,
        assignee=world.user("demo_grid"),
    )
    screening_round.refresh_from_db()
    done = rounds.round_report(
        actor=world.user("demo_grid"), screening_round=screening_round, nil=True
    )
    assert done.reported_by == world.user("demo_grid")


def test_assigning_to_someone_outside_is_refused(world: World) -> None:
    screening_round = h.make_round()
    with pytest.raises(ValidationFailed) as refused:
        rounds.round_assign(
            actor=world.user("demo_director"),
            screening_round=screening_round,
            assignee=world.user("demo_mediator_b"),
        )
    assert "assignee" in refused.value.fields


def test_nightly_scan_marks_past_due_rounds_overdue_once(world: World) -> None:
    late = h.make_round(weeks_ago=2)
    current = h.make_round(h.COMMITTEE_A, weeks_ago=0)
    assert rounds.mark_overdue() == 1
    assert rounds.mark_overdue() == 0
    late.refresh_from_db()
    current.refresh_from_db()
    assert (late.status, current.status) == (RoundStatus.OVERDUE, RoundStatus.OPEN)
    assert late.transitions.get().actor is None  # the system marked it
    # Reported late: still accepted, and flagged as late.
    done = rounds.round_report(actor=world.user("demo_director"), screening_round=late, nil=True)
    assert done.reported_late


def test_the_nightly_command_opens_marks_and_says_so(world: World) -> None:
    import io

    from django.core.management import call_command

    late = h.make_round(weeks_ago=3)
    out = io.StringIO()
    call_command("screening_scan", stdout=out)
    late.refresh_from_db()
    assert late.status == RoundStatus.OVERDUE
    assert "1 marked overdue" in out.getvalue()
    again = io.StringIO()
    call_command("screening_scan", stdout=again)
    assert again.getvalue().startswith("0 screening rounds opened, 0 marked overdue")


def test_a_report_recorded_later_carries_its_day_and_lateness(world: World) -> None:
    # The demo records last week's rounds as reported the day before they were due.
    screening_round = h.make_round(weeks_ago=1)
    day = screening_round.due_on - dt.timedelta(days=1)
    reported = rounds.round_report(
        actor=world.user("demo_director"), screening_round=screening_round, nil=True, on=day
    )
    assert reported.reported_on == day and not reported.reported_late
    assert timezone.localdate(reported.transitions.get().at) == day
    event = AuditEvent.objects.get(
        event_type=EventType.SCREENING_ROUND_REPORTED, object_id=str(screening_round.pk)
    )
    assert event.after is not None and event.after["on"] == day.isoformat()
    payload = OutboxEvent.objects.get(name="screening.round_reported").payload
    assert payload["reported_on"] == day.isoformat()


def test_a_report_dated_ahead_is_refused_and_the_round_stays_open(world: World) -> None:
    screening_round = h.make_round()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        rounds.round_report(
            actor=world.user("demo_director"),
            screening_round=screening_round,
            nil=True,
            on=tomorrow,
        )
    assert refused.value.code == "future_date" and "on" in refused.value.fields
    screening_round.refresh_from_db()
    assert screening_round.status == RoundStatus.OPEN and screening_round.reported_on is None
