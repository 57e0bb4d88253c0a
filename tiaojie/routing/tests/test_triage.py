"""Triage: which rule fires, where it sends the dispute, why, and who might mediate."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from tests import personas as p
from tiaojie.cases.tests.factories import register, to_mediation
from tiaojie.organisations.choices import Sector
from tiaojie.routing.choices import Spread, Tier
from tiaojie.routing.services.expertise import expertise_save
from tiaojie.routing.suggestions import suggest_mediators
from tiaojie.routing.tests.helpers import dispute_type, queued, rule, user
from tiaojie.routing.triage import resolve_target, triage, triage_many

pytestmark = pytest.mark.django_db

GRID_A = "东湖社区第一网格"


def grid_of_a() -> Any:
    return p.org(p.COMMITTEE_A).children.get(name=GRID_A)


def test_without_rules_the_applicants_community_gets_it() -> None:
    case = queued(applicant_at=grid_of_a())
    result = triage(case)
    assert result.rule is None
    assert result.target == p.org(p.COMMITTEE_A)  # a grid counts as its committee
    with translation.override("en"):
        assert triage(case).reasons == ["No rule matched."]


def test_without_a_recorded_residence_the_centres_street_committee_gets_it() -> None:
    assert triage(queued()).target == p.org("东湖街道人民调解委员会")


def test_a_medical_dispute_goes_to_the_medical_committee_and_says_why() -> None:
    medical = rule("医疗纠纷", 10, Tier.SECTOR, types=["medical"], sector=Sector.MEDICAL)
    rule("兜底", 100, Tier.COMMUNITY)
    case = queued(dispute_type="medical", applicant_at=grid_of_a())
    with translation.override("en"):
        result = triage(case)
    assert result.rule == medical
    assert result.target == p.org("东湖区医疗纠纷人民调解委员会")
    assert result.reasons == ["Dispute type is 医疗"]


def test_parties_in_different_streets_go_to_the_street_committee() -> None:
    rule("跨街道", 20, Tier.STREET, spread=Spread.CROSS_STREET)
    case = queued(applicant_at=grid_of_a(), respondent_at=p.org("翠柳社区人民调解委员会"))
    with translation.override("en"):
        result = triage(case)
    assert result.target == p.org("东湖街道人民调解委员会")
    assert result.reasons == ["The parties live in different streets"]
    # Same community: the rule does not match, the fallback routes to the community.
    assert triage(queued(applicant_at=grid_of_a(), respondent_at=grid_of_a())).rule is None


def test_a_rule_without_a_committee_is_passed_over_with_a_note() -> None:
    rule("大额到区", 5, Tier.DISTRICT, amount_min=Decimal(100000))
    street = rule("大额到街道", 6, Tier.STREET, amount_min=Decimal(50000))
    result = triage(queued(amount=120000, applicant_at=grid_of_a()))
    assert result.rule == street
    assert len(result.notes) == 1 and "大额到区" in result.notes[0]


def test_resolve_target_explains_a_missing_community() -> None:
    community = rule("社区", 1, Tier.COMMUNITY)
    resolution = resolve_target(queued(), community)
    assert resolution.target is None and resolution.explanation


def test_triage_many_agrees_with_triage_in_fewer_queries(
    django_assert_max_num_queries: Any,
) -> None:
    rule("医疗纠纷", 10, Tier.SECTOR, types=["medical"], sector=Sector.MEDICAL)
    rule("群体", 20, Tier.STREET, requires_group=True)
    cases = [
        queued(dispute_type="medical"),
        queued(is_group=True, people_involved=12),
        queued(applicant_at=grid_of_a()),
        queued(applicant_at=p.org(p.COMMITTEE_B), respondent_at=grid_of_a()),
    ] * 3
    one_by_one = {c.pk: triage(c) for c in cases}
    with django_assert_max_num_queries(10):
        together = triage_many(cases)
    for pk, single in one_by_one.items():
        assert (together[pk].rule, together[pk].target) == (single.rule, single.target)
        assert [s.mediator for s in together[pk].mediators] == [
            s.mediator for s in single.mediators
        ]


def test_mediators_are_suggested_by_expertise_then_load() -> None:
    committee = p.org(p.COMMITTEE_A)
    busy = user(p.MEDIATOR_A)
    to_mediation(busy, register(busy))
    expert = user("mediator11")
    expertise_save(
        actor=user(p.DIRECTOR_A), mediator=expert, dispute_types=[dispute_type("neighbours")]
    )
    case = queued(applicant_at=grid_of_a())
    with translation.override("en"):
        suggestions = suggest_mediators(committee, case, limit=10)
    people = [s.mediator for s in suggestions]
    assert people[0] == expert
    assert "good at 邻里" in suggestions[0].why
    assert people[-1] == busy and suggestions[-1].load == 1
    assert all(s.local for s in suggestions)  # committee A is the applicant's community
