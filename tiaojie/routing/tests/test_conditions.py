"""Rule conditions as sets: matching, covering (shadowing) and overlapping (conflicts)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tiaojie.routing.choices import Spread
from tiaojie.routing.conditions import CaseFacts, Conditions, Place


def facts(**overrides: Any) -> CaseFacts:
    values: dict[str, Any] = {
        "dispute_type_id": 1,
        "dispute_type_name": "医疗",
        "amount": Decimal(3000),
        "parties": 2,
        "people": 2,
        "is_group": False,
        "is_complex": False,
        "has_risk": False,
        "place": Place.SAME_COMMUNITY,
    }
    return CaseFacts(**(values | overrides))


def test_an_empty_rule_matches_everything_even_without_amount() -> None:
    rule = Conditions.build()
    assert rule.matches(facts())
    assert rule.matches(facts(amount=None, place=Place.UNKNOWN, is_group=True))


def test_amount_bounds_exclude_cases_without_an_amount() -> None:
    rule = Conditions.build(amount_min=Decimal(50000))
    assert rule.matches(facts(amount=Decimal(50000)))
    assert not rule.matches(facts(amount=Decimal("49999.99")))
    assert not rule.matches(facts(amount=None))


def test_cross_community_includes_parties_in_different_streets() -> None:
    rule = Conditions.build(spread=Spread.CROSS_COMMUNITY)
    assert rule.matches(facts(place=Place.CROSS_STREET))
    assert rule.matches(facts(place=Place.CROSS_COMMUNITY))
    assert not rule.matches(facts(place=Place.UNKNOWN))
    assert Conditions.build(spread=Spread.CROSS_COMMUNITY).covers(
        Conditions.build(spread=Spread.CROSS_STREET)
    )
    assert not Conditions.build(spread=Spread.CROSS_STREET).covers(
        Conditions.build(spread=Spread.CROSS_COMMUNITY)
    )


def test_reasons_name_each_condition_met() -> None:
    rule = Conditions.build(
        type_ids=frozenset({1}), amount_min=Decimal(50000), spread=Spread.CROSS_STREET
    )
    with translation.override("en"):
        reasons = rule.reasons(facts(amount=Decimal(80000), place=Place.CROSS_STREET))
    assert reasons == [
        "Dispute type is 医疗",
        "Amount in dispute ≥ 50,000 yuan",
        "The parties live in different streets",
    ]


def test_covers_explicit_cases() -> None:
    anything = Conditions.build()
    big = Conditions.build(amount_min=Decimal(100000))
    bigger = Conditions.build(amount_min=Decimal(200000))
    medical = Conditions.build(type_ids=frozenset({1}))
    medical_or_traffic = Conditions.build(type_ids=frozenset({1, 2}))
    assert anything.covers(big) and anything.covers(medical)
    assert big.covers(bigger) and not bigger.covers(big)
    assert not big.covers(anything)  # "anything" also matches cases without an amount
    assert medical_or_traffic.covers(medical) and not medical.covers(medical_or_traffic)
    assert not medical.covers(anything)
    assert Conditions.build(requires_group=None).covers(Conditions.build(requires_group=True))
    assert not Conditions.build(requires_group=False).covers(Conditions.build(requires_group=True))
    assert Conditions.build(parties_min=3).covers(Conditions.build(parties_min=4, parties_max=6))
    assert not Conditions.build(parties_max=5).covers(Conditions.build(parties_min=3))


def test_overlaps_explicit_cases() -> None:
    small = Conditions.build(amount_max=Decimal(10000))
    big = Conditions.build(amount_min=Decimal(100000))
    assert not small.overlaps(big)
    assert small.overlaps(Conditions.build(amount_min=Decimal(10000)))  # 10,000 is in both
    assert not Conditions.build(type_ids=frozenset({1})).overlaps(
        Conditions.build(type_ids=frozenset({2}))
    )
    assert Conditions.build(type_ids=frozenset({1})).overlaps(Conditions.build(requires_group=True))
    assert not Conditions.build(requires_group=True).overlaps(
        Conditions.build(requires_group=False)
    )
    assert not Conditions.build(spread=Spread.SAME_COMMUNITY).overlaps(
        Conditions.build(spread=Spread.CROSS_COMMUNITY)
    )


def test_contradictions_say_why_a_rule_cannot_match() -> None:
    errors = Conditions.build(
        amount_min=Decimal(5000), amount_max=Decimal(100), parties_min=1
    ).contradictions()
    assert set(errors) == {"amount_max", "parties_min"}
    assert "parties_max" in Conditions.build(parties_min=5, parties_max=3).contradictions()
    assert "parties_max" in Conditions.build(parties_max=1).contradictions()
    assert Conditions.build(amount_min=Decimal(1)).contradictions() == {}


# --- Property: "covers" never claims more than matching shows -------------------------------

amounts = st.one_of(st.none(), st.integers(0, 6).map(lambda n: Decimal(n * 25000)))
tri = st.sampled_from([None, True, False])
conditions = st.builds(
    Conditions.build,
    type_ids=st.frozensets(st.integers(1, 3), max_size=2),
    amount_min=amounts,
    amount_max=amounts,
    parties_min=st.one_of(st.none(), st.integers(2, 5)),
    parties_max=st.one_of(st.none(), st.integers(2, 5)),
    people_min=st.one_of(st.none(), st.integers(1, 12)),
    requires_group=tri,
    requires_complex=tri,
    requires_risk=tri,
    spread=st.sampled_from(list(Spread.values)),
)
case_facts = st.builds(
    CaseFacts,
    dispute_type_id=st.integers(1, 3),
    dispute_type_name=st.just("x"),
    amount=st.one_of(st.none(), st.integers(0, 160000).map(Decimal)),
    parties=st.integers(2, 6),
    people=st.integers(1, 15),
    is_group=st.booleans(),
    is_complex=st.booleans(),
    has_risk=st.booleans(),
    place=st.sampled_from(list(Place)),
)


@settings(max_examples=300, deadline=None)
@given(conditions, conditions, st.lists(case_facts, min_size=1, max_size=20))
def test_a_covering_rule_matches_every_case_the_covered_one_does(
    a: Conditions, b: Conditions, cases: list[CaseFacts]
) -> None:
    for case in cases:
        if a.covers(b) and b.matches(case):
            assert a.matches(case)
        if a.matches(case) and b.matches(case):
            assert a.overlaps(b)
