"""API of routing: the same services and selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import Case, DisputeType
from tiaojie.core.api import ERRORS, PAGE, PAGE_SIZE, Page, caller, paginate
from tiaojie.core.errors import NotPermitted, field_error
from tiaojie.organisations.models import Organisation
from tiaojie.routing import selectors
from tiaojie.routing.api_out import (
    centre_out,
    joint_out,
    ref,
    rule_out,
    transfer_out,
    triage_out,
)
from tiaojie.routing.error_codes import RoutingErrorCode as E
from tiaojie.routing.models import MediatorExpertise
from tiaojie.routing.schemas import (
    CentreIn,
    CentreOut,
    ExpertiseIn,
    ExpertiseOut,
    JointIn,
    JointOut,
    QueuedCaseOut,
    RoutedOut,
    RouteIn,
    RoutingRuleIn,
    RoutingRuleOut,
    RoutingRuleUpdateIn,
    RoutingVersionIn,
    TransferDecisionIn,
    TransferIn,
    TransferOut,
)
from tiaojie.routing.services.expertise import expertise_save
from tiaojie.routing.services.joint import joint_committee_add, joint_committee_remove
from tiaojie.routing.services.routing import case_route, centre_settings_save
from tiaojie.routing.services.rules import RuleData, rule_deactivate, rule_save
from tiaojie.routing.services.transfers import transfer_request, transfer_transition
from tiaojie.routing.triage import triage_many

router = Router(tags=["Routing"])


def _require(request: HttpRequest, capability: Capability) -> User:
    actor = caller(request)
    if not actor.can(capability):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not do this."))
    return actor


def _types(codes: list[str]) -> list[DisputeType]:
    found = list(DisputeType.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {t.code for t in found})
    if missing:
        message = _("Unknown dispute types: %(codes)s") % {"codes": ", ".join(missing)}
        raise field_error("dispute_types", message, E.INVALID)
    return found


def _org(org_id: int | None, field: str) -> Organisation | None:
    if org_id is None:
        return None
    found = Organisation.objects.filter(pk=org_id).first()
    if found is None:
        message = _("Unknown organisation.")
        raise field_error(field, message, E.INVALID)
    return found


def _required_org(org_id: int, field: str) -> Organisation:
    found = _org(org_id, field)
    if found is None:  # an int id was given: _org answered or refused already
        raise Http404
    return found


def _rule_data(body: RoutingRuleIn) -> RuleData:
    values = body.dict(exclude={"dispute_types", "committee_id", "version"})
    return RuleData(
        **values,
        dispute_types=_types(body.dispute_types),
        committee=_org(body.committee_id, "committee_id"),
    )


@router.get(
    "/routing/rules",
    response={200: list[RoutingRuleOut], **ERRORS},
    operation_id="routing_rules_list",
)
def routing_rules_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The routing rules of the caller's bureau(s), in the order they are tried."""
    actor = _require(request, Capability.RULES_CONFIGURE)
    return [rule_out(r) for r in selectors.rules_for(actor)]


@router.post(
    "/routing/rules", response={201: RoutingRuleOut, **ERRORS}, operation_id="routing_rules_create"
)
def routing_rules_create(request: HttpRequest, body: RoutingRuleIn) -> Status[dict[str, Any]]:
    """Add a rule to the caller's bureau; refused (422) if it can never match, conflicts with
    another rule or is shadowed by one, with the reason under ``fields``."""
    actor = _require(request, Capability.RULES_CONFIGURE)
    return Status(201, rule_out(rule_save(actor=actor, data=_rule_data(body))))


@router.put(
    "/routing/rules/{id:rule_id}",
    response={200: RoutingRuleOut, **ERRORS},
    operation_id="routing_rules_update",
)
def routing_rules_update(
    request: HttpRequest, rule_id: int, body: RoutingRuleUpdateIn
) -> dict[str, Any]:
    actor = _require(request, Capability.RULES_CONFIGURE)
    rule = selectors.rule_or_404(actor, rule_id)
    saved = rule_save(actor=actor, data=_rule_data(body), rule=rule, version=body.version)
    return rule_out(saved)


@router.post(
    "/routing/rules/{id:rule_id}/deactivate",
    response={200: RoutingRuleOut, **ERRORS},
    operation_id="routing_rules_deactivate",
)
def routing_rules_deactivate(
    request: HttpRequest, rule_id: int, body: RoutingVersionIn
) -> dict[str, Any]:
    actor = _require(request, Capability.RULES_CONFIGURE)
    rule = selectors.rule_or_404(actor, rule_id)
    return rule_out(rule_deactivate(actor=actor, rule=rule, version=body.version))


@router.get(
    "/routing/queue",
    response={200: Page[QueuedCaseOut], **ERRORS},
    operation_id="routing_queue_list",
)
def routing_queue_list(
    request: HttpRequest, page: int = PAGE, page_size: int = PAGE_SIZE
) -> dict[str, Any]:
    """Disputes waiting for triage at the caller's centre(s), oldest first, each with the
    suggested committee, the rule that fired, why, and suggested mediators."""
    actor = _require(request, Capability.CASE_ROUTE)
    result = paginate(selectors.queue_for(actor), page, page_size)
    cases: list[Case] = result["results"]
    suggestions = triage_many(cases)
    now = timezone.now()
    result["results"] = [
        {
            "id": c.pk,
            "number": c.number,
            "summary": c.summary,
            "dispute_type": c.dispute_type.code,
            "centre": ref(c.committee),
            "registered_at": c.registered_at,
            "waited_hours": int((now - c.registered_at).total_seconds() // 3600),
            "suggestion": triage_out(suggestions[c.pk]),
        }
        for c in cases
    ]
    return result


@router.post(
    "/routing/queue/{id:case_id}/route",
    response={200: RoutedOut, **ERRORS},
    operation_id="routing_case_route",
)
def routing_case_route(request: HttpRequest, case_id: int, body: RouteIn) -> dict[str, Any]:
    """Route a queued dispute as suggested (no ``committee_id``), or elsewhere with a reason."""
    actor = _require(request, Capability.CASE_ROUTE)
    case = selectors.queued_or_404(actor, case_id)
    routed = case_route(
        actor=actor,
        case=case,
        committee=_org(body.committee_id, "committee_id"),
        reason=body.reason,
        version=body.version,
    )
    move = routed.transitions.filter(action="route").last()
    data = move.data if move else {}
    return {
        "id": routed.pk,
        "number": routed.number,
        "status": routed.status,
        "committee": ref(routed.committee),
        "overridden": bool(data.get("overridden")),
        "rule_id": data.get("rule_id"),
    }


@router.get(
    "/routing/transfers",
    response={200: list[TransferOut], **ERRORS},
    operation_id="routing_transfers_list",
)
def routing_transfers_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Transfers waiting for the caller's committee, then those it sent (latest 50)."""
    actor = _require(request, Capability.CASE_ASSIGN)
    rows = [*selectors.incoming_transfers(actor), *selectors.outgoing_transfers(actor)]
    return [transfer_out(t) for t in rows]


@router.post(
    "/routing/cases/{id:case_id}/transfers",
    response={201: TransferOut, **ERRORS},
    operation_id="routing_transfers_request",
)
def routing_transfers_request(
    request: HttpRequest, case_id: int, body: TransferIn
) -> Status[dict[str, Any]]:
    """Ask another committee of the district to take the case (or escalate it)."""
    actor = _require(request, Capability.CASE_ASSIGN)
    case = selectors.case_or_404(actor, case_id)
    target = _required_org(body.to_organisation_id, "to_organisation")
    transfer = transfer_request(
        actor=actor, case=case, to_organisation=target, kind=body.kind, reason=body.reason
    )
    return Status(201, transfer_out(transfer))


@router.post(
    "/routing/transfers/{id:transfer_id}/decision",
    response={200: TransferOut, **ERRORS},
    operation_id="routing_transfers_decide",
)
def routing_transfers_decide(
    request: HttpRequest, transfer_id: int, body: TransferDecisionIn
) -> dict[str, Any]:
    """accept or return (the receiving director), withdraw (the sending director)."""
    actor = _require(request, Capability.CASE_ASSIGN)
    transfer = selectors.transfer_or_404(actor, transfer_id)
    decided = transfer_transition(
        actor=actor, transfer=transfer, action=body.action, reason=body.reason
    )
    return transfer_out(decided)


@router.post(
    "/routing/cases/{id:case_id}/joint-committees",
    response={201: list[JointOut], **ERRORS},
    operation_id="routing_joint_add",
)
def routing_joint_add(request: HttpRequest, case_id: int, body: JointIn) -> Status[Any]:
    """Invite a committee of the district to mediate jointly; answers the joint committees."""
    actor = _require(request, Capability.CASE_ASSIGN)
    case = selectors.case_or_404(actor, case_id)
    committee = _required_org(body.committee_id, "committee")
    joint_committee_add(actor=actor, case=case, committee=committee, reason=body.reason)
    return Status(201, [joint_out(j) for j in selectors.active_joint(case)])


@router.delete(
    "/routing/cases/{id:case_id}/joint-committees/{id:committee_id}",
    response={200: list[JointOut], **ERRORS},
    operation_id="routing_joint_remove",
)
def routing_joint_remove(request: HttpRequest, case_id: int, committee_id: int) -> list[Any]:
    actor = _require(request, Capability.CASE_ASSIGN)
    case = selectors.case_or_404(actor, case_id)
    committee = _required_org(committee_id, "committee")
    joint_committee_remove(actor=actor, case=case, committee=committee)
    return [joint_out(j) for j in selectors.active_joint(case)]


def _expertise(mediators: list[User]) -> list[dict[str, Any]]:
    codes: dict[int, list[str]] = {}
    for mediator_id, code in MediatorExpertise.objects.filter(mediator__in=mediators).values_list(
        "mediator_id", "dispute_type__code"
    ):
        codes.setdefault(mediator_id, []).append(code)
    return [
        {
            "mediator": {"id": m.pk, "name": m.full_name},
            "dispute_types": sorted(codes.get(m.pk, [])),
        }
        for m in mediators
    ]


@router.get(
    "/routing/expertise",
    response={200: list[ExpertiseOut], **ERRORS},
    operation_id="routing_expertise_list",
)
def routing_expertise_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's committee's mediators and the dispute types each is good at."""
    actor = _require(request, Capability.CASE_ASSIGN)
    return _expertise(list(selectors.committee_mediators(actor)))


@router.put(
    "/routing/expertise/{id:mediator_id}",
    response={200: ExpertiseOut, **ERRORS},
    operation_id="routing_expertise_save",
)
def routing_expertise_save(
    request: HttpRequest, mediator_id: int, body: ExpertiseIn
) -> dict[str, Any]:
    actor = _require(request, Capability.CASE_ASSIGN)
    mediator = selectors.mediator_or_404(actor, mediator_id)
    expertise_save(actor=actor, mediator=mediator, dispute_types=_types(body.dispute_types))
    return _expertise([mediator])[0]


@router.get(
    "/routing/centres",
    response={200: list[CentreOut], **ERRORS},
    operation_id="routing_centres_list",
)
def routing_centres_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Justice offices and bureaus in the caller's subtree, and whether each is a centre."""
    actor = _require(request, Capability.RULES_CONFIGURE)
    return [centre_out(o) for o in selectors.centres_for(actor)]


@router.put(
    "/routing/centres/{id:org_id}",
    response={200: CentreOut, **ERRORS},
    operation_id="routing_centres_update",
)
def routing_centres_update(request: HttpRequest, org_id: int, body: CentreIn) -> dict[str, Any]:
    actor = _require(request, Capability.RULES_CONFIGURE)
    org = selectors.centre_or_404(actor, org_id)
    saved = centre_settings_save(
        actor=actor,
        organisation=org,
        is_centre=body.is_governance_centre,
        channels=body.channels,
        version=body.version,
    )
    return centre_out(saved)
