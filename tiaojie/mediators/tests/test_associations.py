"""Associations (人民调解协会) and their members: the city's bureau adds committees and mediators
of the city to 临江市人民调解协会, ends a membership (kept as history), and every refusal is
in Chinese and leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.core.errors import NotPermitted, ValidationFailed
from tiaojie.mediators import associations, workflow
from tiaojie.mediators.models_associations import AssociationMember
from tiaojie.mediators.tests.helpers import register
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.services import organisation_create
from tiaojie.organisations.validation import OrganisationData

Clients = Callable[[str], Client]
ASSOCIATION = "临江市人民调解协会"
COMMITTEE_A = "东湖社区人民调解委员会"


def _district_association(world: World) -> Organisation:
    return organisation_create(
        actor=None,
        parent=world.org("东湖区司法局"),
        data=OrganisationData(kind=OrganisationKind.ASSOCIATION, name="东湖区人民调解协会"),
    )


def test_city_adds_committee_and_mediator_and_ends_one(world: World) -> None:
    city = world.user("demo_city")
    assoc = world.org(ASSOCIATION)
    mediator = register(world.user("demo_director"), name="李春华")
    joined = associations.committee_join(
        actor=city, association=assoc, committee=world.org(COMMITTEE_A), joined=dt.date(2025, 1, 6)
    )
    member = associations.mediator_join(
        actor=city, association=assoc, mediator=mediator, role="vice_president"
    )
    assert [m.pk for m in associations.members_of(assoc)] == [joined.pk, member.pk]
    associations.membership_end(actor=city, member=joined, left=dt.date(2026, 6, 30))
    rows = associations.members_of(assoc)
    # The committee that left stays listed, after the current members.
    assert [m.pk for m in rows] == [member.pk, joined.pk]
    assert rows[1].left == dt.date(2026, 6, 30)
    assert [p.association.name for p in associations.places_of(mediator)] == [ASSOCIATION]
    kinds = list(
        AuditEvent.objects.filter(
            event_type__in=[
                EventType.ASSOCIATION_MEMBER_ADDED,
                EventType.ASSOCIATION_MEMBER_ENDED,
            ]
        ).values_list("event_type", flat=True)
    )
    assert sorted(kinds) == [1300, 1300, 1301]
    # Joining again after leaving adds a new row; the old one stays.
    associations.committee_join(actor=city, association=assoc, committee=world.org(COMMITTEE_A))
    assert AssociationMember.objects.filter(committee=world.org(COMMITTEE_A)).count() == 2


def test_refusals_are_in_chinese_and_write_nothing(world: World) -> None:
    city = world.user("demo_city")
    district_assoc = _district_association(world)
    mediator = register(world.user("demo_director"), name="李春华")
    before = AssociationMember.objects.count()
    # A committee of another district is outside 东湖区's association.
    with pytest.raises(ValidationFailed, match="不在") as out:
        associations.committee_join(
            actor=city,
            association=district_assoc,
            committee=world.org("青山街道人民调解委员会"),
        )
    assert out.value.code == "association_out_of_scope"
    associations.committee_join(
        actor=city, association=district_assoc, committee=world.org(COMMITTEE_A)
    )
    with pytest.raises(ValidationFailed, match="已是") as out:
        associations.committee_join(
            actor=city, association=district_assoc, committee=world.org(COMMITTEE_A)
        )
    assert out.value.code == "association_member_exists"
    member = associations.mediator_join(
        actor=city, association=district_assoc, mediator=mediator, joined=dt.date(2026, 3, 1)
    )
    with pytest.raises(ValidationFailed, match="退出日期"):
        associations.membership_end(actor=city, member=member, left=dt.date(2026, 2, 1))
    workflow.mediator_transition(
        actor=world.user("demo_director"), mediator=mediator, action="leave", reason="退休"
    )
    mediator.refresh_from_db()
    with pytest.raises(ValidationFailed, match="已离任"):
        associations.mediator_join(
            actor=city, association=world.org(ASSOCIATION), mediator=mediator
        )
    # A street's office does not keep associations.
    with pytest.raises(NotPermitted):
        associations.committee_join(
            actor=world.user("demo_street"),
            association=district_assoc,
            committee=world.org("梨园社区人民调解委员会"),
        )
    assert AssociationMember.objects.count() == before + 2


def test_not_yours_is_404_and_pages_work(world: World, client_as: Clients) -> None:
    assoc = world.org(ASSOCIATION)
    url = reverse("mediators:association_members", args=[assoc.pk])
    assert client_as("demo_district").get(url).status_code == 404
    city = client_as("demo_city")
    page = city.get(url)
    assert page.status_code == 200
    response = city.post(
        url,
        {"c-form": "committee", "c-committee": world.org(COMMITTEE_A).pk, "c-joined": "2026-01-05"},
    )
    assert response.status_code == 302
    page = city.get(url)
    assert COMMITTEE_A in page.content.decode()
    # The same committee again is refused in words on the page, and nothing is added.
    refused = city.post(url, {"c-form": "committee", "c-committee": world.org(COMMITTEE_A).pk})
    assert refused.status_code == 422
    assert "已是本协会会员" in refused.content.decode()
    assert AssociationMember.objects.filter(association=assoc).count() == 1
    org_page = city.get(reverse("organisations:detail", args=[assoc.pk])).content.decode()
    assert url in org_page


def test_api_adds_lists_and_refuses_in_words(world: World, api_as: Callable[[str], Client]) -> None:
    district_assoc = _district_association(world)
    api = api_as("demo_district")
    base = f"/api/v1/associations/{district_assoc.pk}"
    added = api.post(
        f"{base}/committees",
        {"committee_id": world.org(COMMITTEE_A).pk, "joined": "2026-01-05"},
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    refused = api.post(
        f"{base}/committees",
        {"committee_id": world.org("青山街道人民调解委员会").pk},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert "不在东湖区人民调解协会的区域范围内" in refused.json()["message"]
    ended = api.post(
        f"/api/v1/association-members/{added.json()['id']}/end",
        {"left": "2026-02-01"},
        content_type="application/json",
    )
    assert ended.json()["left"] == "2026-02-01"
    rows = api.get(f"{base}/members").json()
    assert [(r["name"], r["left"]) for r in rows] == [(COMMITTEE_A, "2026-02-01")]
    assert api.get(f"{base}/members?current=true").json() == []
    # The city's association is not 东湖区's.
    city_assoc = world.org(ASSOCIATION).pk
    assert api.get(f"/api/v1/associations/{city_assoc}/members").status_code == 404
