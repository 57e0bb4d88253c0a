"""Early warning: a case's risk score kept by the listener on case events, the level above
alerted when it rises; hotspots against each place's own baseline; disputes sharing a party
suggested for review, decisions recorded and nothing deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tiaojie.cases.models import Case
from tiaojie.cases.tests import factories as f
from tiaojie.notifications.models import Notification
from tiaojie.screening.choices import Decision, MatchedBy, RiskFactor
from tiaojie.screening.models import CaseRisk, DuplicateSuggestion
from tiaojie.screening.services import duplicates, hotspots, warning

pytestmark = pytest.mark.django_db
Clients = Callable[[str], Client]


def test_a_group_case_is_scored_on_registration_and_the_office_above_alerted(
    world: World,
) -> None:
    case = f.register(world.user("demo_mediator"), is_group=True, risk_notes="扬言集体上访")
    risk = CaseRisk.objects.get(case=case)
    assert set(risk.factors) == {RiskFactor.GROUP, RiskFactor.RISK_NOTES}
    assert risk.score == 5
    alert = Notification.objects.get(recipient=world.user("demo_street"), case=case)
    assert case.number in alert.title
    # Judged again (an event delivered twice): no second alert.
    warning.rescore(case.pk)
    assert Notification.objects.filter(case=case).count() == 1


def test_a_plain_case_alerts_nobody(world: World) -> None:
    case = f.register(world.user("demo_mediator"))
    assert CaseRisk.objects.get(case=case).score == 0
    assert not Notification.objects.filter(case=case).exists()


def test_a_missed_deadline_on_a_group_dispute_raises_the_risk(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.to_mediation(mediator, f.register(mediator, is_group=True))
    before = CaseRisk.objects.get(case=case).score
    Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    assert warning.rescore_overdue_groups() >= 1
    risk = CaseRisk.objects.get(case=case)
    assert RiskFactor.MISSED_DEADLINE in risk.factors and risk.score > before
    assert Notification.objects.filter(case=case, recipient=world.user("demo_street")).count() == 2


def test_a_week_above_its_own_baseline_is_a_hotspot(world: World) -> None:
    mediator = world.user("demo_mediator")
    this_monday = hotspots.monday(timezone.localdate())
    # One dispute a week for eight weeks, then four this week.
    for weeks_ago in range(1, 9):
        case = f.register(mediator)
        when = timezone.now() - dt.timedelta(weeks=weeks_ago)
        Case.objects.filter(pk=case.pk).update(registered_at=when)
    for _ in range(4):
        f.register(mediator)
    cells = hotspots.cells(world.org("东湖区司法局").path)
    (cell,) = [c for c in cells if c.week == this_monday]
    assert (cell.count, cell.mean) == (4, 1.0)
    assert cell.hot
    # Weeks that swing between one and five disputes (mean 3, sd 2: baseline 7) make four
    # this week ordinary.
    for weeks_ago in range(1, 9, 2):
        for _ in range(4):
            case = f.register(mediator)
            Case.objects.filter(pk=case.pk).update(
                registered_at=timezone.now() - dt.timedelta(weeks=weeks_ago)
            )
    (cell,) = hotspots.cells(world.org("东湖区司法局").path)
    assert not cell.hot


def test_the_same_person_in_two_open_disputes_is_suggested_once(
    world: World, client_as: Clients
) -> None:
    first = f.register(world.user("demo_mediator"))
    second = f.register(world.user("demo_mediator"), summary="同一当事人另案")
    assert duplicates.suggestions_refresh() == 1
    assert duplicates.suggestions_refresh() == 0
    pair = DuplicateSuggestion.objects.get()
    assert (pair.first_id, pair.second_id) == (first.pk, second.pk)
    assert pair.matched_by == MatchedBy.ID_NUMBER
    page = client_as("demo_street").post(
        reverse("screening:duplicate_decide", args=[pair.pk]),
        {"decision": "same", "version": pair.version},
    )
    assert page.status_code == 302
    pair.refresh_from_db()
    assert pair.decision == Decision.SAME and pair.decided_by == world.user("demo_street")
    assert Case.objects.filter(pk__in=[first.pk, second.pk]).count() == 2  # nothing deleted
    listing = client_as("demo_district").get(reverse("screening:duplicate_list")).content
    assert first.number in listing.decode()


def test_the_warning_pages_for_the_level_above(world: World, client_as: Clients) -> None:
    case = f.register(world.user("demo_mediator"), is_group=True)
    page = client_as("demo_street").get(reverse("screening:risks")).content.decode()
    assert case.number in page
    assert client_as("demo_street").get(reverse("screening:hotspots")).status_code == 200
    bad_week = client_as("demo_street").get(reverse("screening:hotspots") + "?week=x")
    assert bad_week.status_code == 200
