"""The governance centre's queue as the case workflow sees it: disputes registered at a centre
wait there (queued), are routed to a committee within the centre's district, take the
committee's number, and can be returned; committees mediate jointly."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tests import personas as p
from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.audit.events import EventType
from tiaojie.audit.models import AuditEvent
from tiaojie.cases.choices import CaseSource, CaseStatus
from tiaojie.cases.models import Case, JointCommittee
from tiaojie.cases.rules import case_policy
from tiaojie.cases.services import intake
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import allowed_actions, transition
from tiaojie.core.errors import Conflict, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db

CONTENT = case_policy.cases


def _queued(world: World) -> Case:
    return f.register(world.user(p.STREET))


def test_an_officer_of_a_governance_centre_registers_into_its_queue(world: World) -> None:
    case = _queued(world)
    assert case.status == CaseStatus.QUEUED
    assert case.committee == world.org(p.DONGHU_OFFICE)
    assert case.centre == world.org(p.DONGHU_OFFICE)
    assert case.number == case.intake_number
    assert "综治受字" in case.number
    # The centre's officers and the district see it; no committee does yet.
    street, district = world.user(p.STREET), world.user(p.DISTRICT)
    assert CONTENT(street, Capability.CASE_CONTENT).filter(pk=case.pk).exists()
    assert CONTENT(district, Capability.CASE_CONTENT).filter(pk=case.pk).exists()
    mediator = world.user(p.MEDIATOR_A)
    assert not CONTENT(mediator, Capability.CASE_CONTENT).filter(pk=case.pk).exists()


def test_an_officer_away_from_a_centre_cannot_register(world: World) -> None:
    with pytest.raises(NotPermitted):
        f.register(world.user(p.CITY))


def test_a_grid_report_lands_in_the_centre_queue_when_the_centre_takes_grid_reports(
    world: World,
) -> None:
    office = world.org(p.DONGHU_OFFICE)
    office.centre_channels = [*office.centre_channels, CaseSource.GRID]
    office.save(update_fields=["centre_channels"])
    case = f.register(world.user(p.GRID_A), source=CaseSource.GRID)
    assert case.status == CaseStatus.QUEUED
    assert case.committee == office
    # Another source from the same grid worker still goes to the committee.
    direct = f.register(world.user(p.GRID_A), source=CaseSource.INITIATIVE)
    assert direct.status == CaseStatus.REGISTERED
    assert direct.committee == world.org(p.COMMITTEE_A)


def test_routing_moves_the_case_to_the_committee_and_numbers_it(world: World) -> None:
    case = _queued(world)
    committee = world.org(p.COMMITTEE_B)
    routed = transition(
        actor=world.user(p.STREET),
        case=case,
        action="route",
        data={"committee_id": committee.pk, "rule_id": None, "overridden": False},
    )
    assert routed.status == CaseStatus.REGISTERED
    assert routed.committee == committee
    assert routed.committee_path == committee.path
    assert routed.number.startswith(f"（{timezone.localdate().year}）梨园社区人调字第")
    assert routed.intake_number == case.intake_number
    move = routed.transitions.get(action="route")
    assert move.data["committee_name"] == committee.name
    assert AuditEvent.objects.filter(
        event_type=EventType.CASE_MOVED, object_id=str(case.pk)
    ).exists()
    # Now the committee's mediators see it and may accept it.
    assert "accept" in allowed_actions(routed, world.user(p.MEDIATOR_B))


def test_routing_outside_the_centres_district_is_refused(world: World) -> None:
    case = _queued(world)
    outside = world.org("钢花村社区人民调解委员会")  # 西山区
    with pytest.raises(ValidationFailed) as refused:
        transition(
            actor=world.user(p.STREET),
            case=case,
            action="route",
            data={"committee_id": outside.pk},
        )
    assert refused.value.code == "outside_reach"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.QUEUED


def test_a_committee_cannot_route_and_the_centre_cannot_accept(world: World) -> None:
    case = _queued(world)
    with pytest.raises(NotPermitted):
        transition(actor=world.user(p.MEDIATOR_A), case=case, action="accept")
    assert allowed_actions(case, world.user(p.STREET)) == ["route"]


def test_a_committee_returns_a_routed_case_and_it_keeps_its_number(world: World) -> None:
    case = _queued(world)
    committee = world.org(p.COMMITTEE_A)
    routed = transition(
        actor=world.user(p.STREET), case=case, action="route", data={"committee_id": committee.pk}
    )
    with pytest.raises(ValidationFailed):
        transition(actor=world.user(p.DIRECTOR_A), case=routed, action="return")  # no reason
    back = transition(
        actor=world.user(p.DIRECTOR_A), case=routed, action="return", reason="不属于本社区"
    )
    assert back.status == CaseStatus.QUEUED
    assert back.committee == world.org(p.DONGHU_OFFICE)
    again = transition(
        actor=world.user(p.STREET),
        case=back,
        action="route",
        data={"committee_id": world.org(p.COMMITTEE_B).pk},
    )
    assert again.number == routed.number  # numbered once, by the first committee


def test_return_is_refused_for_a_case_registered_at_the_committee(world: World) -> None:
    case = f.register(world.user(p.MEDIATOR_A))
    assert "return" not in allowed_actions(case, world.user(p.DIRECTOR_A))
    with pytest.raises(Conflict):
        transition(actor=world.user(p.DIRECTOR_A), case=case, action="return", reason="x")


def test_the_centre_corrects_a_queued_case(world: World) -> None:
    case = _queued(world)
    data = f.case_data(summary="更正后的简要情况")
    updated = intake.case_update(
        actor=world.user(p.STREET), case=case, data=data, version=case.version
    )
    assert updated.summary == "更正后的简要情况"


def test_a_joint_committee_sees_the_case_and_its_mediator_can_be_assigned(
    world: World,
) -> None:
    case = transition(
        actor=world.user(p.MEDIATOR_A),
        case=f.register(world.user(p.MEDIATOR_A)),
        action="accept",
    )
    mediator_b = world.user(p.MEDIATOR_B)
    assert not CONTENT(mediator_b, Capability.CASE_CONTENT).filter(pk=case.pk).exists()
    joint = world.org(p.COMMITTEE_B)
    JointCommittee.objects.create(
        case=case,
        committee=joint,
        committee_path=joint.path,
        invited_by=world.user(p.DIRECTOR_A),
        joined_at=timezone.now(),
    )
    assert CONTENT(mediator_b, Capability.CASE_CONTENT).filter(pk=case.pk).count() == 1
    started = transition(
        actor=world.user(p.DIRECTOR_A),
        case=case,
        action="start_mediation",
        data={"mediator_ids": [world.user(p.MEDIATOR_A).pk, mediator_b.pk]},
    )
    assert set(started.mediators.values_list("mediator__username", flat=True)) == {
        p.MEDIATOR_A,
        p.MEDIATOR_B,
    }


def test_a_joint_committee_finds_the_case_in_its_list_and_search_until_it_leaves(
    world: World, client_as: Callable[[str], Client]
) -> None:
    """The list names the joint cases by id (ADR 0067): they are listed, counted and found by a
    search for the joint committee's staff, and gone from all three once it has left."""
    mediator_a = world.user(p.MEDIATOR_A)
    case = f.register(mediator_a, summary="相邻通行纠纷", narrative="邻居在共用通道堆放杂物。")
    f.register(mediator_a, summary="另一件", narrative="与本案无关。")
    joint = world.org(p.COMMITTEE_B)
    seat = JointCommittee.objects.create(
        case=case,
        committee=joint,
        committee_path=joint.path,
        invited_by=world.user(p.DIRECTOR_A),
        joined_at=timezone.now(),
    )
    client = client_as(p.MEDIATOR_B)
    listed = client.get(reverse("cases:case_list"))
    assert case.pk in {c.pk for c in listed.context["page"]}
    found = client.get(reverse("cases:case_list"), {"q": "通道"})
    assert [c.pk for c in found.context["page"]] == [case.pk]
    assert found.context["page"].paginator.count == 1
    seat.left_at = timezone.now()
    seat.save(update_fields=["left_at"])
    assert case.pk not in {c.pk for c in client.get(reverse("cases:case_list")).context["page"]}
    gone = client.get(reverse("cases:case_list"), {"q": "通道"})
    assert list(gone.context["page"]) == [] and gone.context["page"].paginator.count == 0


def test_the_intake_page_says_the_dispute_goes_to_the_queue(
    client_as: Callable[[str], Client],
) -> None:
    page = client_as(p.STREET).get(reverse("cases:case_register"))
    assert page.status_code == 200
    assert "东湖街道司法所" in page.content.decode()
    assert client_as(p.CITY).get(reverse("cases:case_register")).status_code == 403


def test_a_party_records_the_community_they_live_in(world: World) -> None:
    community = world.org(p.COMMITTEE_B)
    data = f.case_data()
    data.parties[0].residence_id = community.pk
    case = intake.case_register(actor=world.user(p.MEDIATOR_A), data=data)
    assert case.parties.get(role="applicant").residence == community
    bad = f.case_data()
    bad.parties[1].residence_id = world.org(p.DONGHU_OFFICE).pk
    with pytest.raises(ValidationFailed) as refused:
        intake.case_register(actor=world.user(p.MEDIATOR_A), data=bad)
    assert "parties.1.residence" in (refused.value.fields or {})


def test_the_centre_routes_from_the_case_page_and_the_committee_returns_it(
    world: World, client_as: Callable[[str], Client]
) -> None:
    case = _queued(world)
    street = client_as(p.STREET)
    page = street.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "do=route" in page
    url = reverse("cases:case_action", args=[case.pk]) + "?do=route"
    form = street.get(url).content.decode()
    assert "钢花村社区人民调解委员会" not in form  # another district: not offered
    committee = world.org(p.COMMITTEE_A)
    street.post(url, {"version": case.version, "committee": committee.pk})
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert case.committee == committee

    director = client_as(p.DIRECTOR_A)
    back_url = reverse("cases:case_action", args=[case.pk]) + "?do=return"
    refused = director.post(back_url, {"version": case.version, "reason": ""})
    assert refused.status_code == 200  # the form again, with the reason asked for
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    director.post(back_url, {"version": case.version, "reason": "纠纷发生在梨园社区"})
    case.refresh_from_db()
    assert case.status == CaseStatus.QUEUED
    assert case.committee == world.org(p.DONGHU_OFFICE)


def _joint(world: World, case: Case) -> None:
    joint = world.org(p.COMMITTEE_B)
    JointCommittee.objects.create(
        case=case,
        committee=joint,
        committee_path=joint.path,
        invited_by=world.user(p.DIRECTOR_A),
        joined_at=timezone.now(),
    )


def test_a_joint_committee_does_not_take_or_give_the_case(world: World) -> None:
    case = _queued(world)
    routed = transition(
        actor=world.user(p.STREET),
        case=case,
        action="route",
        data={"committee_id": world.org(p.COMMITTEE_A).pk},
    )
    _joint(world, routed)
    director_b = User.objects.filter(
        organisation=world.org(p.COMMITTEE_B), role="committee_director"
    ).first()
    assert director_b is not None
    for actor in (world.user(p.MEDIATOR_B), director_b):
        assert allowed_actions(routed, actor) == []
        with pytest.raises(NotPermitted):
            transition(actor=actor, case=routed, action="accept")
        with pytest.raises(NotPermitted):
            transition(actor=actor, case=routed, action="return", reason="不是我们的")


def test_the_joint_mediation_ends_when_the_case_goes_back_to_the_centre(world: World) -> None:
    case = _queued(world)
    routed = transition(
        actor=world.user(p.STREET),
        case=case,
        action="route",
        data={"committee_id": world.org(p.COMMITTEE_A).pk},
    )
    _joint(world, routed)
    mediator_b = world.user(p.MEDIATOR_B)
    assert CONTENT(mediator_b, Capability.CASE_CONTENT).filter(pk=case.pk).exists()
    transition(actor=world.user(p.DIRECTOR_A), case=routed, action="return", reason="非本社区")
    assert not CONTENT(mediator_b, Capability.CASE_CONTENT).filter(pk=case.pk).exists()
    assert not JointCommittee.objects.filter(case=case, left_at__isnull=True).exists()


def test_a_pending_transfer_is_withdrawn_when_the_case_goes_back_to_the_centre(
    world: World,
) -> None:
    from tiaojie.routing.models import Transfer
    from tiaojie.routing.services.transfers import transfer_request

    routed = transition(
        actor=world.user(p.STREET),
        case=_queued(world),
        action="route",
        data={"committee_id": world.org(p.COMMITTEE_A).pk},
    )
    transfer = transfer_request(
        actor=world.user(p.DIRECTOR_A),
        case=routed,
        to_organisation=world.org(p.COMMITTEE_B),
        kind="transfer",
        reason="当事人住梨园社区",
    )
    transition(actor=world.user(p.DIRECTOR_A), case=routed, action="return", reason="非本社区")
    transfer.refresh_from_db()
    assert transfer.status == "withdrawn"
    assert not Transfer.objects.filter(case=routed, status="pending").exists()


def test_the_community_list_offers_the_districts_communities_by_street(
    client_as: Callable[[str], Client],
) -> None:
    page = client_as(p.MEDIATOR_A).get(reverse("cases:case_register")).content.decode()
    assert '<optgroup label="东湖街道司法所">' in page
    assert "梨园社区人民调解委员会" in page and "翠柳社区人民调解委员会" in page
    assert "钢花村社区人民调解委员会" not in page  # 西山区: another district
