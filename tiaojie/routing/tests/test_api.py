"""The routing API: the same rules and refusals as the pages, as JSON."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests import personas as p
from tests.api.schema import call
from tiaojie.cases.models import Case
from tiaojie.cases.tests.factories import register
from tiaojie.routing.tests.helpers import queued, user

pytestmark = pytest.mark.django_db
Api = Callable[[str], Client]


def test_a_shadowed_rule_is_refused_with_the_reason_under_its_field(api_as: Api) -> None:
    client = api_as(p.DISTRICT)
    body = {"name": "兜底", "priority": 50, "tier": "community"}
    created = call(client, "post", "/routing/rules", body)
    assert created.status_code == 201
    shadowed = {"name": "大额", "priority": 60, "tier": "street", "amount_min": "100000"}
    refused = call(client, "post", "/routing/rules", shadowed)
    assert refused.status_code == 422
    assert refused.json()["code"] == "rule_shadowed"
    assert "兜底" in refused.json()["fields"]["priority"][0]
    stale = call(
        client,
        "put",
        "/routing/rules/{rule_id}",
        {**body, "version": 7},
        rule_id=created.json()["id"],
    )
    assert stale.status_code == 409


def test_the_queue_lists_suggestions_and_routes_with_an_override_reason(api_as: Api) -> None:
    case = queued()
    client = api_as(p.STREET)
    listed = call(client, "get", "/routing/queue").json()
    row = next(r for r in listed["results"] if r["id"] == case.pk)
    assert row["suggestion"]["committee"]["name"] == "东湖街道人民调解委员会"
    committee_b = p.org(p.COMMITTEE_B).pk
    refused = call(
        client,
        "post",
        "/routing/queue/{case_id}/route",
        {"committee_id": committee_b},
        case_id=case.pk,
    )
    assert refused.status_code == 422 and "reason" in refused.json()["fields"]
    routed = call(
        client,
        "post",
        "/routing/queue/{case_id}/route",
        {"committee_id": committee_b, "reason": "当事人要求"},
        case_id=case.pk,
    )
    assert routed.status_code == 200
    assert routed.json()["overridden"] is True and routed.json()["committee"]["id"] == committee_b


def test_a_transfer_outside_the_district_is_refused_on_to_organisation(api_as: Api) -> None:
    case = register(user(p.MEDIATOR_A))
    response = call(
        api_as(p.DIRECTOR_A),
        "post",
        "/routing/cases/{case_id}/transfers",
        {"to_organisation_id": p.org("红卫路社区人民调解委员会").pk, "reason": "试"},
        case_id=case.pk,
    )
    assert response.status_code == 422
    assert "to_organisation" in response.json()["fields"]
    assert Case.objects.get(pk=case.pk).committee == p.org(p.COMMITTEE_A)
