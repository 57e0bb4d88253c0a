"""Permission cases for mediators' associations (人民调解协会) and their members.

临江市人民调解协会 sits under the city: only the city's officers find it (everyone else with
the roster capability: 404). A 东湖区 association is found by 东湖区 and the city. Only the
officers of a bureau at or above an association change its members (a committee's director
and the street's office, who have the capability, do not find the city's association: 404)."""

from __future__ import annotations

from typing import Any

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User

CITY_ASSOCIATION = "临江市人民调解协会"


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _city_association() -> Any:
    return p.org(CITY_ASSOCIATION)


def _district_association() -> Any:
    from tiaojie.organisations.choices import OrganisationKind
    from tiaojie.organisations.services import organisation_create
    from tiaojie.organisations.validation import OrganisationData

    return organisation_create(
        actor=None,
        parent=p.org(p.DONGHU_DISTRICT),
        data=OrganisationData(kind=OrganisationKind.ASSOCIATION, name="东湖区人民调解协会"),
    )


def city_association() -> dict[str, int]:
    return {"pk": _city_association().pk}


def district_association() -> dict[str, int]:
    return {"pk": _district_association().pk}


def _member() -> Any:
    from tiaojie.mediators import associations

    return associations.committee_join(
        actor=_user(p.CITY),
        association=_city_association(),
        committee=p.org(p.COMMITTEE_A),
    )


def member() -> dict[str, int]:
    return {"pk": _member().pk}


def _mediator() -> Any:
    from tiaojie.mediators.tests.helpers import register

    return register(_user(p.DIRECTOR_A), serial=611, name="李春华")


VIEWERS = (p.MEDIATOR_A, p.MEDIATOR_B, p.DIRECTOR_A, p.STREET, p.DISTRICT, p.CITY)
CITY_ONLY = {k: 404 for k in VIEWERS} | {p.CITY: 200}
DISTRICT_AND_CITY = {k: 404 for k in VIEWERS} | {p.DISTRICT: 200, p.CITY: 200}
# Who has the capability to change members but does not find the city's association.
MANAGERS_ELSEWHERE = {p.DIRECTOR_A: 404, p.STREET: 404, p.DISTRICT: 404}


PAGE_CASES: list[PageCase] = [
    PageCase("mediators:association_members", city_association, CITY_ONLY),
    PageCase("mediators:association_members", district_association, DISTRICT_AND_CITY),
    # An empty post adds nothing (422) for the bureaus that keep the association.
    PageCase(
        "mediators:association_members",
        district_association,
        {k: 404 for k in VIEWERS} | {p.DISTRICT: 422, p.CITY: 422},
        method="post",
    ),
    PageCase(
        "mediators:association_member_end",
        member,
        {p.CITY: 302, **MANAGERS_ELSEWHERE},
        method="post",
    ),
]


def _ids(**make: Any) -> Any:
    return lambda: {name: fn()["pk"] for name, fn in make.items()}


API_CASES: list[ApiCase] = [
    ApiCase(
        "associations_list", "get", "/associations", expect=dict.fromkeys(VIEWERS, 200), default=403
    ),
    ApiCase(
        "association_members_list",
        "get",
        "/associations/{association_id}/members",
        _ids(association_id=city_association),
        expect=CITY_ONLY,
        default=403,
    ),
    ApiCase(
        "association_committees_add",
        "post",
        "/associations/{association_id}/committees",
        _ids(association_id=city_association),
        lambda: {"committee_id": p.org(p.COMMITTEE_B).pk},
        expect={p.CITY: 201, **MANAGERS_ELSEWHERE},
        default=403,
    ),
    ApiCase(
        "association_mediators_add",
        "post",
        "/associations/{association_id}/mediators",
        _ids(association_id=city_association),
        lambda: {"mediator_id": _mediator().pk, "role": "council"},
        expect={p.CITY: 201, **MANAGERS_ELSEWHERE},
        default=403,
    ),
    ApiCase(
        "association_members_end",
        "post",
        "/association-members/{member_id}/end",
        _ids(member_id=member),
        lambda: {},
        expect={p.CITY: 200, **MANAGERS_ELSEWHERE},
        default=403,
    ),
    ApiCase(
        "mediator_associations_list",
        "get",
        "/mediators/{mediator_id}/associations",
        lambda: {"mediator_id": _mediator().pk},
        expect={
            p.MEDIATOR_A: 200,
            p.DIRECTOR_A: 200,
            p.STREET: 200,
            p.DISTRICT: 200,
            p.CITY: 200,
            p.MEDIATOR_B: 404,
        },
        default=403,
    ),
]
