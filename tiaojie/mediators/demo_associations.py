"""Demo association: 临江市人民调解协会 with member committees of the city (one of which left
last year and stays listed as history) and member mediators with their offices (会长, 副会长,
秘书长, 理事, 会员), kept by the city bureau's officer. Running it again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.mediators import associations
from tiaojie.mediators.choices import AssociationRole
from tiaojie.mediators.models import Mediator
from tiaojie.mediators.models_associations import AssociationMember
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.organisations.models import Organisation

ASSOCIATION = "临江市人民调解协会"
COMMITTEES = ("东湖街道人民调解委员会", "东湖社区人民调解委员会", "梨园社区人民调解委员会")
FORMER = "水果湖街道人民调解委员会"
# The offices, in order, of the first mediators of the city who may join (the lawyer first).
OFFICES = (
    AssociationRole.PRESIDENT,
    AssociationRole.VICE_PRESIDENT,
    AssociationRole.SECRETARY_GENERAL,
    AssociationRole.COUNCIL,
    AssociationRole.COUNCIL,
    AssociationRole.MEMBER,
    AssociationRole.MEMBER,
)


def _officer(association: Organisation) -> User | None:
    if association.parent_id is None:
        return None
    for user in User.objects.filter(organisation_id=association.parent_id, is_active=True):
        if associations.may_manage(user, association):
            return user
    return None


def seed_associations_demo() -> int:
    """Members of the city's association; the number of members added."""
    association = Organisation.objects.filter(
        kind=OrganisationKind.ASSOCIATION, name=ASSOCIATION
    ).first()
    if association is None or AssociationMember.objects.filter(association=association).exists():
        return 0
    officer = _officer(association)
    if officer is None or not officer.can(Capability.MEDIATOR_MANAGE):
        return 0
    today = timezone.localdate()
    founded = today - dt.timedelta(days=3 * 365)
    added = 0
    former = Organisation.objects.filter(name=FORMER).first()
    if former is not None:
        row = associations.committee_join(
            actor=officer, association=association, committee=former, joined=founded
        )
        associations.membership_end(actor=officer, member=row, left=today - dt.timedelta(days=300))
        added += 1
    for name in COMMITTEES:
        committee = Organisation.objects.filter(name=name).first()
        if committee is not None:
            associations.committee_join(
                actor=officer, association=association, committee=committee, joined=founded
            )
            added += 1
    offered = list(associations.mediators_for(association).filter(status="active"))
    lawyer = Mediator.objects.filter(name="韩律师").first()
    if lawyer in offered:
        offered.remove(lawyer)
        offered.insert(1, lawyer)
    for mediator, office in zip(offered, OFFICES, strict=False):
        associations.mediator_join(
            actor=officer,
            association=association,
            mediator=mediator,
            role=office,
            joined=founded + dt.timedelta(days=30),
        )
        added += 1
    return added
