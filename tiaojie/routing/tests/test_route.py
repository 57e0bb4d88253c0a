"""Routing a queued dispute: as suggested, elsewhere with a reason, never outside the district."""

from __future__ import annotations

import pytest

from tests import personas as p
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.models import Case, CaseTransition
from tiaojie.core.errors import Conflict, ValidationFailed
from tiaojie.notifications.models import Notification
from tiaojie.organisations.choices import Sector
from tiaojie.routing.choices import Tier
from tiaojie.routing.services.routing import case_route, centre_settings_save
from tiaojie.routing.tests.helpers import queued, rule, user

pytestmark = pytest.mark.django_db


def test_route_as_suggested_records_the_rule_and_notifies_the_committee() -> None:
    medical = rule("医疗纠纷", 10, Tier.SECTOR, types=["medical"], sector=Sector.MEDICAL)
    case = queued(dispute_type="medical")
    routed = case_route(actor=user(p.STREET), case=case)
    assert routed.status == CaseStatus.REGISTERED
    assert routed.committee.name == "东湖区医疗纠纷人民调解委员会"
    assert routed.number != case.number  # numbered by the committee
    move = CaseTransition.objects.get(case=case, action="route")
    assert move.data["rule_id"] == medical.pk and move.data["overridden"] is False
    assert AuditEvent.objects.filter(
        event_type=EventType.CASE_MOVED, object_id=str(case.pk)
    ).exists()
    notes = Notification.objects.filter(key=f"routed:{case.pk}:1")
    assert {n.recipient.organisation.name for n in notes} == {"东湖区医疗纠纷人民调解委员会"}
    assert notes.exists()


def test_routing_elsewhere_needs_a_reason_and_is_recorded_as_an_override() -> None:
    case = queued()
    elsewhere = p.org(p.COMMITTEE_B)
    with pytest.raises(ValidationFailed) as refused:
        case_route(actor=user(p.STREET), case=case, committee=elsewhere)
    assert "reason" in refused.value.fields
    assert Case.objects.get(pk=case.pk).status == CaseStatus.QUEUED
    case_route(actor=user(p.STREET), case=case, committee=elsewhere, reason="申请人常住梨园社区")
    move = CaseTransition.objects.get(case=case, action="route")
    assert move.data["overridden"] is True and move.reason == "申请人常住梨园社区"
    assert Case.objects.get(pk=case.pk).committee == elsewhere


def test_routing_outside_the_district_is_refused() -> None:
    case = queued()
    with pytest.raises(ValidationFailed) as refused:
        case_route(
            actor=user(p.STREET),
            case=case,
            committee=p.org("红卫路社区人民调解委员会"),
            reason="试试",
        )
    assert refused.value.code == "outside_reach"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.QUEUED


def test_centre_settings_change_the_channels_and_keep_a_queue_from_being_orphaned() -> None:
    office = p.org("水果湖街道司法所")
    saved = centre_settings_save(
        actor=user(p.DISTRICT),
        organisation=office,
        is_centre=True,
        channels=["hotline", "online"],
        version=office.version,
    )
    assert saved.is_governance_centre and saved.centre_channels == ["hotline", "online"]
    assert saved.version == office.version + 1
    assert AuditEvent.objects.filter(event_type=EventType.CENTRE_SETTINGS_CHANGED).exists()
    queued()  # waiting at 东湖街道司法所
    donghu = p.org(p.DONGHU_OFFICE)
    with pytest.raises(Conflict) as refused:
        centre_settings_save(
            actor=user(p.DISTRICT),
            organisation=donghu,
            is_centre=False,
            channels=[],
            version=donghu.version,
        )
    assert refused.value.code == "queue_not_empty"
