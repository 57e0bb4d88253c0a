"""The routing demo: rules that save, some disputes routed, a queue left, run twice alike."""

from __future__ import annotations

from conftest import World
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.demo import seed_demo_cases
from tiaojie.cases.models import Case, JointCommittee
from tiaojie.organisations.choices import OrganisationKind as K
from tiaojie.routing.demo import seed_routing_demo
from tiaojie.routing.models import MediatorExpertise, RoutingRule, Transfer

HOLDERS = {K.COMMITTEE, K.JUSTICE_OFFICE, K.DISTRICT_BUREAU, K.CITY_BUREAU}


def test_the_routing_demo_routes_some_and_leaves_a_queue(world: World) -> None:
    seed_demo_cases(count=300)
    street = world.org("东湖街道司法所")
    queued_before = Case.objects.filter(status=CaseStatus.QUEUED).count()
    seed_routing_demo()
    assert RoutingRule.objects.filter(owner__name="东湖区司法局", active=True).count() == 5
    assert MediatorExpertise.objects.exists()
    queued_after = Case.objects.filter(status=CaseStatus.QUEUED)
    assert 0 < queued_after.count() < queued_before
    assert queued_after.filter(committee=street).count() >= 5
    assert Transfer.objects.filter(status="pending").count() == 1
    assert JointCommittee.objects.filter(left_at__isnull=True).count() == 1
    seed_routing_demo()
    assert Transfer.objects.count() == 1 and RoutingRule.objects.count() == 5
    # After intake, routing, a transfer and a joint mediation, every case is held by a
    # committee or a governance centre's office, at its holder's path: a committee's staff
    # match their committee's path exactly, and nothing below a committee holds a case
    # (ADR 0079).
    held = list(Case.objects.values_list("committee__kind", "committee_path", "committee__path"))
    assert {kind for kind, _, _ in held} <= HOLDERS
    assert all(path == holder for _, path, holder in held)
