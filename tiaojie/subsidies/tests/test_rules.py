"""A bureau's rules: versions, the one in force, and every refusal in Chinese on its field."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests import personas as p
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.subsidies.services import rulesets, sheets
from tiaojie.subsidies.services.approval import sheet_transition
from tiaojie.subsidies.services.rulesets import Amount, Band
from tiaojie.subsidies.tests.helpers import (
    D,
    data,
    ended_case,
    last_month,
    months_ago,
    standard_amounts,
    standard_rules,
    user,
)

pytestmark = pytest.mark.django_db


def _refusal(**overrides: object) -> dict[str, list[str]]:
    values: dict[str, object] = {"valid_from": months_ago(3)} | overrides
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        rulesets.rule_set_create(
            actor=user(p.DISTRICT),
            bureau=p.org(p.DONGHU_DISTRICT),
            data=data(**values),  # type: ignore[arg-type]
        )
    return caught.value.fields


def test_overlapping_ranges_are_refused_naming_both_tiers() -> None:
    bands = [
        Band("amount", "general", D(0), D(10000)),
        Band("amount", "difficult", D(5000), None),
    ]
    errors = _refusal(bands=bands)["bands"]
    assert errors == [
        "争议金额（元）：“一般”（0.00\xa0元至不满10,000.00\xa0元）与“疑难”（5,000.00\xa0元及以上）的区间重叠。"
    ]


def test_a_gap_between_ranges_is_a_tier_left_undefined() -> None:
    bands = [
        Band("people", "general", D(0), D(5)),
        Band("people", "difficult", D(8), None),
    ]
    assert _refusal(bands=bands)["bands"] == ["涉及人数：5人至不满8人之间的数值没有对应的档次。"]


def test_a_tier_without_an_amount_and_a_negative_amount_are_refused() -> None:
    amounts = [a for a in standard_amounts() if (a.committee_kind, a.tier) != ("street", "major")]
    amounts[0] = Amount("community", "general", D(-30))
    errors = _refusal(amounts=amounts)["amounts"]
    assert "村（居）民人民调解委员会，“一般”档：补贴金额不能为负数。" in errors
    assert "乡镇（街道）人民调解委员会：“重大”档的补贴金额未设置。" in errors


def test_two_versions_cannot_start_the_same_month() -> None:
    standard_rules(months_ago(3))
    errors = _refusal()["valid_from"]
    assert len(errors) == 1
    assert "已有" in errors[0]


def test_rules_start_on_the_first_of_a_month() -> None:
    assert _refusal(valid_from=months_ago(3).replace(day=2))["valid_from"]


def test_the_version_in_force_is_the_latest_started_by_the_month() -> None:
    old = standard_rules(months_ago(6))
    new = standard_rules(months_ago(2), amounts=standard_amounts(scale=2))
    committee = p.org(p.COMMITTEE_A)
    assert rulesets.in_force(committee, months_ago(3)) == old
    assert rulesets.in_force(committee, months_ago(2)) == new
    assert rulesets.in_force(committee, months_ago(7)) is None


def test_only_the_bureaus_officers_set_its_rules() -> None:
    bureau = p.org(p.DONGHU_DISTRICT)
    for username in (p.STREET, p.DIRECTOR_A):
        with pytest.raises(NotPermitted):
            rulesets.rule_set_create(actor=user(username), bureau=bureau, data=data(months_ago(3)))


def test_rules_a_submitted_month_was_computed_with_no_longer_change() -> None:
    rule_set = standard_rules()
    ended_case(last_month())
    sheet = sheets.sheet_compute(
        actor=user(p.DIRECTOR_A), committee=p.org(p.COMMITTEE_A), month=last_month()
    )
    sheet_transition(actor=user(p.DIRECTOR_A), sheet=sheet, action="submit")
    with pytest.raises(Conflict):
        rulesets.rule_set_update(
            actor=user(p.DISTRICT), rule_set=rule_set, data=data(rule_set.valid_from)
        )
    # Nor may a new version start in or before that month.
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        rulesets.rule_set_create(
            actor=user(p.DISTRICT), bureau=p.org(p.DONGHU_DISTRICT), data=data(last_month())
        )
    assert "已提交" in caught.value.fields["valid_from"][0]
