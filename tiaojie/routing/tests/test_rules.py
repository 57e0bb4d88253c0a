"""Saving routing rules: what can never match, conflicts and shadowing are refused, with why."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from tests import personas as p
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed
from tiaojie.organisations.choices import Sector
from tiaojie.routing.choices import Spread, Tier
from tiaojie.routing.models import RoutingRule
from tiaojie.routing.services.rules import RuleData, rule_deactivate, rule_save
from tiaojie.routing.tests.helpers import dispute_type, rule, user

pytestmark = pytest.mark.django_db


def test_a_rule_is_saved_for_the_officers_bureau_and_audited() -> None:
    saved = rule("医疗纠纷", 10, Tier.SECTOR, types=["medical"], sector=Sector.MEDICAL)
    assert saved.owner.name == p.DONGHU_DISTRICT
    assert [t.code for t in saved.dispute_types.all()] == ["medical"]
    event = AuditEvent.objects.get(event_type=EventType.ROUTING_RULE_SAVED, object_id=saved.pk)
    assert event.after is not None and event.after["tier"] == "sector"


def test_a_rule_that_can_never_match_is_refused_per_field() -> None:
    with pytest.raises(ValidationFailed) as refused:
        rule("反了", 10, amount_min=Decimal(5000), amount_max=Decimal(100), parties_min=1)
    assert set(refused.value.fields) == {"amount_max", "parties_min"}
    assert not RoutingRule.objects.exists()


def test_a_sector_rule_needs_its_sector_and_a_named_committee_its_committee() -> None:
    with pytest.raises(ValidationFailed) as refused:
        rule("行业", 10, Tier.SECTOR)
    assert "sector" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        rule("指定", 10, Tier.COMMITTEE)
    assert "committee" in refused.value.fields


def test_a_named_committee_outside_the_bureau_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        rule("外区", 10, Tier.COMMITTEE, committee=p.org("红卫路社区人民调解委员会"))
    assert "committee" in refused.value.fields


def test_same_priority_overlapping_rules_routing_elsewhere_conflict() -> None:
    rule("大额", 10, Tier.STREET, amount_min=Decimal(100000))
    with pytest.raises(ValidationFailed) as refused:
        rule("医疗", 10, Tier.SECTOR, types=["medical"], sector=Sector.MEDICAL)
    assert refused.value.code == "rule_conflict"
    assert "大额" in refused.value.fields["priority"][0]
    # Disjoint conditions at the same priority are fine, as is the same target.
    rule("小额", 10, Tier.COMMUNITY, amount_max=Decimal(99999))
    rule("大额群体", 10, Tier.STREET, requires_group=True, amount_min=Decimal(200000))


def test_a_rule_caught_entirely_by_an_earlier_one_is_refused_as_shadowed() -> None:
    rule("跨街道", 5, Tier.STREET, spread=Spread.CROSS_STREET)
    with pytest.raises(ValidationFailed) as refused, translation.override("en"):
        rule("跨街道大额", 20, Tier.DISTRICT, spread=Spread.CROSS_STREET, amount_min=Decimal(1))
    assert refused.value.code == "rule_shadowed"
    message = refused.value.fields["priority"][0]
    assert "跨街道" in message and "can never fire" in message
    # With a higher priority it fires first, and is accepted.
    rule("跨街道大额", 3, Tier.DISTRICT, spread=Spread.CROSS_STREET, amount_min=Decimal(1))


def test_a_rule_that_would_shadow_a_later_one_is_refused() -> None:
    rule("医疗", 20, Tier.SECTOR, types=["medical"], sector=Sector.MEDICAL)
    with pytest.raises(ValidationFailed) as refused:
        rule("兜底", 1, Tier.COMMUNITY)
    assert refused.value.code == "rule_shadows"
    assert "医疗" in refused.value.fields["priority"][0]
    rule("兜底", 100, Tier.COMMUNITY)  # last, it catches only what the others leave


def test_a_retired_dispute_type_is_refused() -> None:
    import datetime as dt

    from tiaojie.cases.models import DisputeType

    old = DisputeType.objects.create(
        code="retired",
        name="旧类型",
        statistics_code="other",
        valid_from=dt.date(2000, 1, 1),
        valid_to=dt.date(2001, 1, 1),
    )
    with pytest.raises(ValidationFailed) as refused:
        rule_save(
            actor=user(p.DISTRICT),
            data=RuleData(name="旧", priority=1, tier=Tier.COMMUNITY, dispute_types=[old]),
        )
    assert "旧类型" in refused.value.fields["dispute_types"][0]


def test_a_stale_edit_is_refused_and_deactivation_is_audited() -> None:
    saved = rule("医疗", 10, Tier.SECTOR, types=["medical"], sector=Sector.MEDICAL)
    data = RuleData(
        name="医疗纠纷",
        priority=10,
        tier=Tier.SECTOR,
        sector=Sector.MEDICAL,
        dispute_types=[dispute_type("medical")],
    )
    edited = rule_save(actor=user(p.DISTRICT), data=data, rule=saved, version=saved.version)
    assert edited.version == 2 and edited.name == "医疗纠纷"
    with pytest.raises(Conflict):
        rule_save(actor=user(p.DISTRICT), data=data, rule=saved, version=1)
    rule_deactivate(actor=user(p.DISTRICT), rule=edited)
    assert not RoutingRule.objects.get(pk=saved.pk).active
    assert AuditEvent.objects.filter(event_type=EventType.ROUTING_RULE_DEACTIVATED).exists()


def test_only_a_bureau_officer_configures_rules() -> None:
    with pytest.raises(NotPermitted):
        rule("所里", 1, actor=p.STREET)
    medical = rule("医疗", 10, Tier.SECTOR, types=["medical"], sector=Sector.MEDICAL)
    with pytest.raises(NotPermitted):
        rule_deactivate(actor=user(p.DIRECTOR_A), rule=medical)
