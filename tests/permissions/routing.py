"""Permission cases for the routing pages and API operations.

Who: bureau officers configure rules and centres (RULES_CONFIGURE); the street, district and
city officers triage their centres' queues (CASE_ROUTE); committee directors transfer, invite
joint committees and set expertise (CASE_ASSIGN); whoever reads a case sees its routing panel.
"""

from __future__ import annotations

from typing import Any

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User


def _user(username: str) -> User:
    return User.objects.get(username=username)


def queued_case() -> dict[str, Any]:
    """A dispute waiting in the queue of 东湖街道司法所 (a governance centre)."""
    from tiaojie.routing.tests.helpers import queued

    return {"pk": queued(p.STREET).pk}


def case_of_a() -> dict[str, Any]:
    from tiaojie.cases.tests.factories import register

    return {"pk": register(_user(p.MEDIATOR_A)).pk}


def rule_of_district() -> dict[str, Any]:
    from tiaojie.organisations.choices import Sector
    from tiaojie.routing.choices import Tier
    from tiaojie.routing.tests.helpers import rule

    return {"pk": rule("医疗纠纷", 10, Tier.SECTOR, types=["medical"], sector=Sector.MEDICAL).pk}


def transfer_from_a() -> dict[str, Any]:
    from tiaojie.cases.tests.factories import register
    from tiaojie.routing.services.transfers import transfer_request

    transfer = transfer_request(
        actor=_user(p.DIRECTOR_A),
        case=register(_user(p.MEDIATOR_A)),
        to_organisation=p.org(p.COMMITTEE_B),
        kind="transfer",
        reason="双方住梨园社区",
    )
    return {"pk": transfer.pk}


def joint_case() -> dict[str, Any]:
    from tiaojie.cases.models import Case
    from tiaojie.routing.services.joint import joint_committee_add

    pk = case_of_a()["pk"]
    joint_committee_add(
        actor=_user(p.DIRECTOR_A), case=Case.objects.get(pk=pk), committee=p.org(p.COMMITTEE_B)
    )
    return {"pk": pk, "committee_pk": p.org(p.COMMITTEE_B).pk}


def office() -> dict[str, Any]:
    return {"pk": p.org("水果湖街道司法所").pk}


RULERS = {p.DISTRICT: 200, p.CITY: 200}
ROUTERS = {p.STREET: 200, p.DISTRICT: 200, p.CITY: 200}
DIRECTOR = {p.DIRECTOR_A: 200}
CASE_READERS_A = {
    p.MEDIATOR_A: 200,
    p.DIRECTOR_A: 200,
    p.MEDIATOR_B: 404,
    p.GRID_A: 404,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}

PAGE_CASES: list[PageCase] = [
    PageCase("routing:queue", expect=ROUTERS),
    PageCase("routing:route_suggested", queued_case, {k: 302 for k in ROUTERS}, method="post"),
    PageCase("routing:route_elsewhere", queued_case, ROUTERS),
    PageCase("routing:rules", expect=RULERS),
    PageCase("routing:rule_create", expect=RULERS),
    PageCase("routing:rule_edit", rule_of_district, RULERS),
    PageCase("routing:rule_deactivate", rule_of_district, {k: 302 for k in RULERS}, method="post"),
    PageCase("routing:centres", expect=RULERS),
    PageCase("routing:centre_edit", office, RULERS),
    PageCase("routing:transfers", expect=DIRECTOR),
    PageCase("routing:transfer_decide", transfer_from_a, {p.DIRECTOR_A: 302}, method="post"),
    PageCase("routing:expertise", expect=DIRECTOR),
    PageCase("routing:case_panel", case_of_a, CASE_READERS_A),
    # An empty form: the director gets the panel back with the errors (422).
    PageCase("routing:transfer_request", case_of_a, {p.DIRECTOR_A: 422}, method="post"),
    PageCase("routing:joint_add", case_of_a, {p.DIRECTOR_A: 422}, method="post"),
    PageCase("routing:joint_remove", joint_case, {p.DIRECTOR_A: 302}, method="post"),
]


def rule_body() -> dict[str, Any]:
    return {
        "name": "医疗纠纷",
        "priority": 10,
        "tier": "sector",
        "sector": "medical",
        "dispute_types": ["medical"],
    }


def rule_id() -> dict[str, Any]:
    return {"rule_id": rule_of_district()["pk"]}


def queued_id() -> dict[str, Any]:
    return {"case_id": queued_case()["pk"]}


def case_id() -> dict[str, Any]:
    return {"case_id": case_of_a()["pk"]}


def joint_ids() -> dict[str, Any]:
    ids = joint_case()
    return {"case_id": ids["pk"], "committee_id": ids["committee_pk"]}


API_CASES: list[ApiCase] = [
    ApiCase("routing_rules_list", "get", "/routing/rules", expect=RULERS, default=403),
    ApiCase(
        "routing_rules_create",
        "post",
        "/routing/rules",
        body=rule_body,
        expect={k: 201 for k in RULERS},
        default=403,
    ),
    ApiCase(
        "routing_rules_update",
        "put",
        "/routing/rules/{rule_id}",
        rule_id,
        lambda: {**rule_body(), "version": 1},
        expect=RULERS,
        default=403,
    ),
    ApiCase(
        "routing_rules_deactivate",
        "post",
        "/routing/rules/{rule_id}/deactivate",
        rule_id,
        dict,
        expect=RULERS,
        default=403,
    ),
    ApiCase("routing_queue_list", "get", "/routing/queue", expect=ROUTERS, default=403),
    ApiCase(
        "routing_case_route",
        "post",
        "/routing/queue/{case_id}/route",
        queued_id,
        dict,
        expect=ROUTERS,
        default=403,
    ),
    ApiCase("routing_transfers_list", "get", "/routing/transfers", expect=DIRECTOR, default=403),
    ApiCase(
        "routing_transfers_request",
        "post",
        "/routing/cases/{case_id}/transfers",
        case_id,
        lambda: {"to_organisation_id": p.org(p.COMMITTEE_B).pk, "reason": "就近调解"},
        expect={p.DIRECTOR_A: 201},
        default=403,
    ),
    ApiCase(
        "routing_transfers_decide",
        "post",
        "/routing/transfers/{transfer_id}/decision",
        lambda: {"transfer_id": transfer_from_a()["pk"]},
        lambda: {"action": "withdraw"},
        expect=DIRECTOR,
        default=403,
    ),
    ApiCase(
        "routing_joint_add",
        "post",
        "/routing/cases/{case_id}/joint-committees",
        case_id,
        lambda: {"committee_id": p.org(p.COMMITTEE_B).pk},
        expect={p.DIRECTOR_A: 201},
        default=403,
    ),
    ApiCase(
        "routing_joint_remove",
        "delete",
        "/routing/cases/{case_id}/joint-committees/{committee_id}",
        joint_ids,
        expect=DIRECTOR,
        default=403,
    ),
    ApiCase("routing_expertise_list", "get", "/routing/expertise", expect=DIRECTOR, default=403),
    ApiCase(
        "routing_expertise_save",
        "put",
        "/routing/expertise/{mediator_id}",
        lambda: {"mediator_id": _user(p.MEDIATOR_A).pk},
        lambda: {"dispute_types": ["neighbours"]},
        expect=DIRECTOR,
        default=403,
    ),
    ApiCase("routing_centres_list", "get", "/routing/centres", expect=RULERS, default=403),
    ApiCase(
        "routing_centres_update",
        "put",
        "/routing/centres/{org_id}",
        lambda: {"org_id": office()["pk"]},
        lambda: {
            "is_governance_centre": True,
            "channels": ["hotline"],
            "version": p.org("水果湖街道司法所").version,
        },
        expect=RULERS,
        default=403,
    ),
]
