"""Joint mediation: the lead's director invites committees; their staff see and work on it."""

from __future__ import annotations

import pytest

from tests import personas as p
from tiaojie.accounts.roles import Capability
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import CaseMediator
from tiaojie.cases.rules import case_policy
from tiaojie.cases.tests.factories import register
from tiaojie.cases.workflow import transition
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.routing.services.joint import joint_committee_add, joint_committee_remove
from tiaojie.routing.tests.helpers import user

pytestmark = pytest.mark.django_db


def test_a_joint_committees_mediator_sees_the_case_and_can_be_assigned() -> None:
    case = register(user(p.MEDIATOR_A))
    mediator_b = user(p.MEDIATOR_B)
    assert not case_policy.cases(mediator_b, Capability.CASE_CONTENT).filter(pk=case.pk).exists()
    joint_committee_add(
        actor=user(p.DIRECTOR_A), case=case, committee=p.org(p.COMMITTEE_B), reason="跨社区"
    )
    assert case_policy.cases(mediator_b, Capability.CASE_CONTENT).filter(pk=case.pk).exists()
    director = user(p.DIRECTOR_A)
    case = transition(actor=director, case=case, action="accept")
    transition(
        actor=director,
        case=case,
        action="start_mediation",
        data={"mediator_ids": [user(p.MEDIATOR_A).pk, mediator_b.pk]},
    )
    assert CaseMediator.objects.filter(case=case, mediator=mediator_b).exists()
    assert AuditEvent.objects.filter(event_type=EventType.JOINT_COMMITTEE_ADDED).exists()

    joint_committee_remove(actor=director, case=case, committee=p.org(p.COMMITTEE_B))
    assert not case_policy.cases(mediator_b, Capability.CASE_CONTENT).filter(pk=case.pk).exists()
    assert CaseMediator.objects.get(case=case, mediator=mediator_b).withdrawn_at is not None


def test_joint_mediation_stays_in_the_district_and_with_the_leads_director() -> None:
    case = register(user(p.MEDIATOR_A))
    with pytest.raises(ValidationFailed) as refused:
        joint_committee_add(
            actor=user(p.DIRECTOR_A), case=case, committee=p.org("红卫路社区人民调解委员会")
        )
    assert refused.value.code == "outside_reach"
    with pytest.raises(ValidationFailed):
        joint_committee_add(actor=user(p.DIRECTOR_A), case=case, committee=p.org(p.COMMITTEE_A))
    with pytest.raises(NotPermitted):
        joint_committee_add(actor=user(p.MEDIATOR_A), case=case, committee=p.org(p.COMMITTEE_B))
