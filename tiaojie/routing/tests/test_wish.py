"""The committee the applicant asked for (ADR 0041): routing proposes it first when it can take
the dispute, says why not when it cannot, and the choice is audited either way."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests import personas as p
from tests.api.schema import call
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.models import Case, CaseTransition
from tiaojie.organisations.choices import OrganisationStatus
from tiaojie.organisations.models import Organisation
from tiaojie.routing.choices import Tier
from tiaojie.routing.services.routing import case_route
from tiaojie.routing.tests.helpers import queued, rule, user
from tiaojie.routing.triage import triage, triage_many

pytestmark = pytest.mark.django_db


def grid_of_a() -> Organisation:
    return p.org(p.COMMITTEE_A).children.get(name="东湖社区第一网格")


def wishing(committee: Organisation, **overrides: Any) -> Case:
    """A queued dispute whose applicant (living in committee A's grid) asked for ``committee``
    (as ``cases.services.intake.case_apply_online`` records it)."""
    case = queued(applicant_at=grid_of_a(), **overrides)
    Case.objects.filter(pk=case.pk).update(wished_committee=committee)
    return Case.objects.get(pk=case.pk)


def test_the_wished_committee_is_proposed_first_and_routed_when_confirmed() -> None:
    wished = p.org(p.COMMITTEE_B)
    case = wishing(wished)
    result = triage(case)
    assert result.target == wished and result.wish_followed
    assert result.target_note == "申请人希望由该调委会调解，且该调委会可以受理此纠纷。"
    # What the rules alone would have done stays visible to the officer.
    assert any(p.COMMITTEE_A in note for note in result.notes)
    assert [s.mediator.organisation for s in result.mediators] == [wished] * len(result.mediators)

    routed = case_route(actor=user(p.STREET), case=case)
    assert routed.committee == wished
    assert CaseTransition.objects.get(case=case, action="route").data["overridden"] is False
    event = AuditEvent.objects.get(event_type=EventType.ROUTING_WISH_FOLLOWED)
    assert event.object_id == str(case.pk)
    assert (event.after or {})["wished_committee"] == wished.pk


def test_a_wish_outside_the_district_is_refused_with_the_reason() -> None:
    elsewhere = p.org("红卫路社区人民调解委员会")
    case = wishing(elsewhere)
    result = triage_many([case])[case.pk]
    assert result.target == p.org(p.COMMITTEE_A)  # routed as before
    assert not result.wish_followed
    assert result.wish_note == "红卫路社区人民调解委员会不在本综治中心的辖区内。"

    case_route(actor=user(p.STREET), case=case)
    event = AuditEvent.objects.get(event_type=EventType.ROUTING_WISH_SET_ASIDE)
    assert (event.after or {})["why"] == result.wish_note
    assert (event.after or {})["committee"] == p.org(p.COMMITTEE_A).pk


def test_a_wish_of_the_wrong_tier_is_refused_and_the_rule_is_followed() -> None:
    street = rule("邻里纠纷上街道", 10, Tier.STREET, types=["neighbours"])
    case = wishing(p.org(p.COMMITTEE_B), dispute_type="neighbours")
    result = triage(case)
    assert result.rule == street and result.target == p.org("东湖街道人民调解委员会")
    assert not result.wish_followed
    assert "邻里纠纷上街道" in result.wish_note and "街道" in result.wish_note


def test_a_dissolved_committee_is_not_proposed() -> None:
    wished = p.org(p.COMMITTEE_B)
    case = wishing(wished)
    Organisation.objects.filter(pk=wished.pk).update(status=OrganisationStatus.DISSOLVED)
    case = Case.objects.get(pk=case.pk)
    result = triage(case)
    assert result.target == p.org(p.COMMITTEE_A)
    assert result.wish_note == "梨园社区人民调解委员会已不再受理纠纷。"


def test_the_queue_and_the_route_page_show_the_wish(client_as: Any) -> None:
    case = wishing(p.org("红卫路社区人民调解委员会"))
    client = client_as(p.STREET)
    queue = client.get(reverse("routing:queue")).content.decode()
    assert "申请人希望：红卫路社区人民调解委员会" in queue
    assert "不在本综治中心的辖区内" in queue
    page = client.get(reverse("routing:route_elsewhere", args=[case.pk])).content.decode()
    assert 'id="route-wish"' in page and "红卫路社区人民调解委员会" in page


def test_the_queue_api_says_whether_the_wish_is_proposed(api_as: Any) -> None:
    wished = p.org(p.COMMITTEE_B)
    case = wishing(wished)
    listed = call(api_as(p.STREET), "get", "/routing/queue").json()
    row = next(r for r in listed["results"] if r["id"] == case.pk)
    assert row["suggestion"]["committee"]["id"] == wished.pk
    assert row["suggestion"]["wish"] == {
        "committee": {"id": wished.pk, "name": p.COMMITTEE_B},
        "followed": True,
        "note": "申请人希望由该调委会调解，且该调委会可以受理此纠纷。",
    }
