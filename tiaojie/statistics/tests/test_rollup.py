"""The roll-ups follow the cases: each move changes exactly the figures it should, once."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import World
from tiaojie.cases.models import Case
from tiaojie.cases.services import aftercare
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.core.events import Event, publish
from tiaojie.statistics import rollup
from tiaojie.statistics.choices import Indicator as Ind
from tiaojie.statistics.listeners import refresh_case_figures
from tiaojie.statistics.models import CaseFact, StatCell
from tiaojie.statistics.tests.helpers import figure
from tiaojie.statistics.verify import differences

pytestmark = pytest.mark.django_db

COMMITTEE = "东湖社区人民调解委员会"
STREET = "东湖街道司法所"
DISTRICT = "东湖区司法局"


def test_a_hand_computed_month(world: World) -> None:
    """Three cases: one agreed (written, 2,000 元 in dispute, complex, performed, confirmed),
    one failed, one only accepted: the figures are what a clerk would count."""
    mediator = world.user("demo_mediator")
    committee, street, district = world.org(COMMITTEE), world.org(STREET), world.org(DISTRICT)
    base = {i: figure(district, i) for i in Ind.values}
    assert figure(committee, Ind.MEDIATED, "source:application") == 0  # no demo cases this month

    agreed = f.to_agreement(
        mediator,
        f.register(mediator, amount=Decimal("2000.00"), people_involved=3, is_complex=True),
    )
    today = timezone.localdate()
    aftercare.performance_record(actor=mediator, case=agreed, status="performed", recorded_on=today)
    aftercare.confirmation_apply(
        actor=mediator, case=agreed, applied_on=today, court="东湖区人民法院", joint=True
    )
    aftercare.confirmation_decide(
        actor=mediator, case=agreed, outcome="confirmed", decided_on=today, ruling_number="1号"
    )
    failed = f.with_session(mediator, f.to_mediation(mediator, f.register(mediator)))
    transition(
        actor=mediator, case=failed, action="fail", reason="分歧大", data={"routes_told": True}
    )
    transition(actor=mediator, case=f.register(mediator), action="accept")

    expected = {
        Ind.REGISTERED: 3,
        Ind.ACCEPTED: 3,
        Ind.MEDIATED: 2,
        Ind.SUCCESS: 1,
        Ind.PEOPLE: 3 + 2,
        Ind.AMOUNT: Decimal("2000.00"),
        Ind.COMPLEX: 1,
        Ind.WRITTEN: 1,
        Ind.ORAL: 0,
        Ind.PERFORMED: 1,
        Ind.CONFIRMED: 1,
    }
    for indicator, value in expected.items():
        assert figure(district, indicator) - base[indicator] == value, indicator
    # The committee and the street see the same gain: the cells sum up the tree by path.
    for org in (committee, street):
        assert figure(org, Ind.SUCCESS) <= figure(district, Ind.SUCCESS)
        assert figure(org, Ind.MEDIATED, "source:application") >= 2
    assert differences() == []


def test_the_same_event_twice_counts_once(world: World) -> None:
    mediator = world.user("demo_mediator")
    district = world.org(DISTRICT)
    case = f.register(mediator)
    before = figure(district, Ind.REGISTERED)
    event = Event(0, "case.registered", {"case_id": case.pk}, timezone.now())
    refresh_case_figures(event)
    refresh_case_figures(event)
    assert figure(district, Ind.REGISTERED) == before
    assert differences() == []


def test_mediating_again_takes_the_success_back(world: World) -> None:
    """The court rejects the confirmation: the case mediates again and is no longer a success."""
    mediator = world.user("demo_mediator")
    district = world.org(DISTRICT)
    case = f.to_agreement(mediator, f.register(mediator))
    success = figure(district, Ind.SUCCESS)
    today = timezone.localdate()
    aftercare.confirmation_apply(
        actor=mediator, case=case, applied_on=today, court="东湖区人民法院", joint=True
    )
    aftercare.confirmation_decide(
        actor=mediator, case=case, outcome="rejected", decided_on=today, ruling_number="2号"
    )
    transition(actor=mediator, case=Case.objects.get(pk=case.pk), action="resume", reason="驳回")
    assert figure(district, Ind.SUCCESS) == success - 1
    assert not CaseFact.objects.get(case_id=case.pk).success
    assert differences() == []


def test_a_missed_event_is_found_and_repaired(world: World) -> None:
    mediator = world.user("demo_mediator")
    case = f.register(mediator)
    StatCell.objects.filter(indicator=Ind.REGISTERED).update(value=0)
    found = differences()
    assert found and all(d.cell[2] == Ind.REGISTERED for d in found)
    out = io.StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command("verify_statistics", stdout=out)
    assert stopped.value.code == 1
    assert "registered" in out.getvalue() and "differences" in out.getvalue()
    call_command("verify_statistics", "--repair", stdout=io.StringIO())
    assert differences() == []
    assert CaseFact.objects.filter(case_id=case.pk).exists()
    period = timezone.localdate().strftime("%Y-%m")
    out = io.StringIO()
    call_command("verify_statistics", "--period", period, stdout=out)
    assert "No differences." in out.getvalue()


def test_prevented_escalations_and_screening_rounds(world: World) -> None:
    mediator = world.user("demo_mediator")
    committee, district = world.org(COMMITTEE), world.org(DISTRICT)
    case = f.register(mediator)
    today = timezone.localdate().isoformat()
    payload = {
        "case_id": case.pk,
        "committee_id": committee.pk,
        "kind": "criminal",
        "people": 4,
        "recorded_on": today,
    }
    cases_before = figure(district, Ind.PREVENTED_CASES, "criminal")
    people_before = figure(district, Ind.PREVENTED_PEOPLE, "criminal")
    with_commit(lambda: publish("escalation.prevented", payload))
    with_commit(lambda: publish("escalation.prevented", payload))  # delivered again
    assert figure(district, Ind.PREVENTED_CASES, "criminal") == cases_before + 1
    assert figure(district, Ind.PREVENTED_PEOPLE, "criminal") == people_before + 4

    rounds = figure(district, Ind.SCREENING_ROUNDS)
    found = figure(district, Ind.SCREENING_FINDINGS)
    for round_id, findings, nil in ((9001, 3, False), (9002, 0, True), (9001, 3, False)):
        with_commit(
            lambda r=round_id, n=findings, z=nil: publish(
                "screening.round_reported",
                {
                    "round_id": r,
                    "organisation_id": committee.pk,
                    "reported_on": today,
                    "findings": n,
                    "nil": z,
                },
            )
        )
    assert figure(district, Ind.SCREENING_ROUNDS) == rounds + 2
    assert figure(district, Ind.SCREENING_FINDINGS) == found + 3
    assert differences() == []


def test_a_transfer_moves_the_case_to_the_new_committee(world: World) -> None:
    """The figures follow the holder: a case counts where it is held now."""
    mediator = world.user("demo_mediator")
    case = f.register(mediator)
    fact = CaseFact.objects.get(case_id=case.pk)
    other = world.org("梨园社区人民调解委员会")
    rollup_before = figure(other, Ind.REGISTERED)
    Case.objects.filter(pk=case.pk).update(committee=other, committee_path=other.path)
    rollup.refresh_case(case.pk)
    assert figure(other, Ind.REGISTERED) == rollup_before + 1
    assert CaseFact.objects.get(case_id=case.pk).organisation_id == other.pk != fact.organisation_id
    assert differences() == []


def with_commit(block: object) -> None:
    """Run ``block`` in an atomic block, so the test suite delivers its events on exit."""
    from django.db import transaction

    with transaction.atomic():
        block()  # type: ignore[operator]


def test_period_parse_error() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("verify_statistics", "--period", "2026/11", stdout=io.StringIO())
