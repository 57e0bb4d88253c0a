"""``case_policy.allows``: a case of the user's own tree is answered from the case as read,
anything else from the database, and both answer as the list's scope does."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import personas as p
from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy
from tiaojie.cases.tests.factories import register
from tiaojie.organisations.choices import OrganisationKind
from tiaojie.routing.services.joint import joint_committee_add
from tiaojie.routing.tests.helpers import user

pytestmark = pytest.mark.django_db

USERS = [p.MEDIATOR_A, p.MEDIATOR_B, p.DIRECTOR_A, p.GRID_A, p.STREET, p.DISTRICT, p.SYSADMIN]


def _listed(username: str, case_id: int, capability: Capability) -> bool:
    found = case_policy.cases(user(username), capability).filter(pk=case_id)
    return found.exists()


@pytest.mark.parametrize("capability", [Capability.CASE_CONTENT, Capability.CASE_HANDLE])
def test_allows_answers_as_the_scope_of_the_list_does(capability: Capability) -> None:
    own = register(user(p.MEDIATOR_A))
    reported = register(user(p.GRID_A))
    joint = register(user(p.MEDIATOR_A))
    joint_committee_add(
        actor=user(p.DIRECTOR_A), case=joint, committee=p.org(p.COMMITTEE_B), reason="跨社区"
    )
    for case in (own, reported, joint):
        for username in USERS:
            expected = _listed(username, case.pk, capability)
            assert case_policy.allows(user(username), capability, case) is expected, (
                username,
                case.number,
            )
    # The joint case is another committee's: mediator B sees it through the database.
    assert case_policy.allows(user(p.MEDIATOR_B), capability, joint)
    assert not case_policy.allows(user(p.MEDIATOR_B), capability, own)


def test_a_case_of_the_users_own_tree_is_allowed_without_asking_the_database() -> None:
    case = register(user(p.MEDIATOR_A))
    mediator, street, other = user(p.MEDIATOR_A), user(p.STREET), user(p.MEDIATOR_B)
    with CaptureQueriesContext(connection) as queries:
        assert case_policy.allows(mediator, Capability.CASE_CONTENT, case)
        assert case_policy.allows(street, Capability.CASE_CONTENT, case)
    assert len(queries) == 0
    # Another tree's case is still asked (a joint mediation may open it), and refused.
    with CaptureQueriesContext(connection) as queries:
        assert not case_policy.allows(other, Capability.CASE_CONTENT, case)
    assert len(queries) >= 1


def test_a_committees_staff_see_the_cases_it_holds_and_nothing_below_it_holds_one() -> None:
    # The staff's scope matches their committee's path exactly (ADR 0079): a case is held by a
    # committee or a governance centre, and below a committee sit only its grids, which hold
    # none. A grid worker's report is held above the grid.
    reported = register(user(p.GRID_A))
    assert reported.committee.kind != OrganisationKind.GRID
    assert reported.committee_path != user(p.GRID_A).organisation.path
    own = register(user(p.MEDIATOR_A))
    other = register(user(p.MEDIATOR_B))
    held = set(Case.objects.filter(committee=own.committee).values_list("pk", flat=True))
    for username in (p.MEDIATOR_A, p.DIRECTOR_A):
        listed = set(
            case_policy.cases(user(username), Capability.CASE_CONTENT).values_list("pk", flat=True)
        )
        assert listed == held
        assert own.pk in listed and other.pk not in listed
