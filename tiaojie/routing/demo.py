"""Routing demo data, through the services: 东湖区's tier rules, the mediators' expertise,
where the queued disputes' parties live, some of them routed (a few left in each queue), one
transfer waiting and one joint mediation. Running it twice changes nothing."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.db import transaction

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.cases.choices import CaseStatus, PartyRole
from tiaojie.cases.models import Case, CaseTransition, DisputeType, Party
from tiaojie.cases.services.intake import PartyData, party_update
from tiaojie.organisations.choices import Sector
from tiaojie.organisations.models import Organisation
from tiaojie.routing.choices import Spread, Tier, TransferStatus
from tiaojie.routing.models import MediatorExpertise, RoutingRule, Transfer
from tiaojie.routing.services.expertise import expertise_save
from tiaojie.routing.services.joint import joint_committee_add
from tiaojie.routing.services.routing import case_route
from tiaojie.routing.services.rules import RuleData, rule_save
from tiaojie.routing.services.transfers import transfer_request
from tiaojie.routing.triage import triage

DISTRICT = "东湖区司法局"
STREET_CENTRE = "东湖街道司法所"
# The communities of 东湖区 the demo's queued parties live in: two streets, two each.
COMMUNITIES = [
    "东湖社区人民调解委员会",
    "梨园社区人民调解委员会",
    "翠柳社区人民调解委员会",
    "茶港社区人民调解委员会",
]
KEEP_QUEUED = 5  # the street centre's queue keeps at least this many
EXPERTISE = [
    ["neighbours", "property_management"],
    ["marriage_family", "housing_homestead"],
    ["contract", "damages"],
    ["labour", "unpaid_wages"],
]


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _rules(officer: User) -> None:
    if RoutingRule.objects.filter(owner=officer.organisation).exists():
        return
    medical = list(DisputeType.objects.filter(code="medical"))
    for data in (
        RuleData("医疗纠纷到医调委", 10, Tier.SECTOR, sector=Sector.MEDICAL, dispute_types=medical),
        RuleData("大额纠纷到街道", 20, Tier.STREET, amount_min=Decimal(100000)),
        RuleData("群体性纠纷到街道", 21, Tier.STREET, requires_group=True),
        RuleData("跨社区纠纷到街道", 30, Tier.STREET, spread=Spread.CROSS_COMMUNITY),
        RuleData("其余到申请人所在社区", 100, Tier.COMMUNITY),
    ):
        rule_save(actor=officer, data=data)


def _expertise() -> None:
    if MediatorExpertise.objects.exists():
        return
    types = {t.code: t for t in DisputeType.objects.all()}
    mediators = User.objects.filter(
        organisation__path__startswith=_org(DISTRICT).path, role=Role.MEDIATOR, is_active=True
    ).order_by("pk")
    for index, mediator in enumerate(mediators):
        codes = EXPERTISE[index % len(EXPERTISE)]
        if mediator.organisation.sector == Sector.MEDICAL:
            codes = ["medical"]
        expertise_save(
            actor=None, mediator=mediator, dispute_types=[types[c] for c in codes if c in types]
        )


def _place_parties(officer: User, case: Case, index: int) -> None:
    """Where the parties live: one community, two of a street, or two streets, in turn."""
    communities = [_org(name) for name in COMMUNITIES]
    applicant = communities[index % 4]
    respondent = [applicant, communities[index % 4 ^ 1], communities[(index + 2) % 4]][index % 3]
    for party in Party.objects.filter(case=case, residence__isnull=True).order_by("id"):
        place = applicant if party.role == PartyRole.APPLICANT else respondent
        values = {f.name: getattr(party, f.name) for f in dataclasses.fields(PartyData)}
        values["residence_id"] = place.pk
        values["birth_date"] = party.birth_date
        party_update(actor=officer, party=party, data=PartyData(**values))


def _route_some(officers: dict[int, User]) -> None:
    queued = list(
        Case.objects.filter(status=CaseStatus.QUEUED, committee_id__in=officers).order_by(
            "registered_at", "id"
        )
    )
    for index, case in enumerate(queued):
        _place_parties(officers[case.committee_id], case, index)
    street = _org(STREET_CENTRE)
    at_street = [c for c in queued if c.committee_id == street.pk]
    at_district = [c for c in queued if c.committee_id != street.pk]
    # The newest wait: the street centre keeps KEEP_QUEUED, the district two.
    chosen = at_street[: max(0, len(at_street) - KEEP_QUEUED)] + at_district[:-2]
    for index, case in enumerate(chosen):
        officer = officers[case.committee_id]
        suggestion = triage(case)
        if index == 0 or suggestion.target is None:
            case_route(
                actor=officer,
                case=case,
                committee=_org("东湖街道人民调解委员会"),
                reason="矛盾较为突出，由街道调委会统一调处",
                suggestion=suggestion,
            )
        else:
            case_route(actor=officer, case=case, suggestion=suggestion)


def _transfer_and_joint() -> None:
    director = User.objects.filter(username="demo_director").first()
    committee_b = _org("梨园社区人民调解委员会")
    if director is None:
        return
    candidates = Case.objects.filter(
        committee=director.organisation, status=CaseStatus.REGISTERED
    ).order_by("registered_at", "id")
    waiting = candidates.exclude(transfers__status=TransferStatus.PENDING).first()
    if waiting is not None:
        transfer_request(
            actor=director,
            case=waiting,
            to_organisation=committee_b,
            kind="transfer",
            reason="双方当事人均居住在梨园社区，由梨园社区调委会就近调解",
        )
    joint = (
        Case.objects.filter(committee=director.organisation, status=CaseStatus.IN_MEDIATION)
        .order_by("registered_at", "id")
        .first()
    )
    if joint is not None:
        joint_committee_add(
            actor=director,
            case=joint,
            committee=_org("东湖街道人民调解委员会"),
            reason="纠纷涉及相邻社区，请街道调委会共同调解",
        )


@transaction.atomic
def seed_routing_demo() -> None:
    """Add the routing demo to the demo world (after ``seed_demo_cases``); once only."""
    district_officer = User.objects.filter(username="demo_district").first()
    street_officer = User.objects.filter(username="demo_street").first()
    if district_officer is None or street_officer is None:
        return
    _rules(district_officer)
    _expertise()
    if Transfer.objects.exists() or CaseTransition.objects.filter(action="route").exists():
        return
    officers = {
        district_officer.organisation_id: district_officer,
        street_officer.organisation_id: street_officer,
    }
    _route_some(officers)
    _transfer_and_joint()
