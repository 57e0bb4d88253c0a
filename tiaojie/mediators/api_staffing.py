"""API of staffing norms and insurance, on the registry's router (imported by ``config.api``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Status

from tiaojie.accounts.roles import Capability
from tiaojie.core.api import ERRORS, caller
from tiaojie.mediators import staffing
from tiaojie.mediators.api import router
from tiaojie.mediators.models import InsurancePolicy, Mediator, StaffingNorm
from tiaojie.mediators.rules import mediator_policy
from tiaojie.mediators.schemas import (
    InsuranceOut,
    NormIn,
    NormOut,
    PolicyIn,
    PolicyOut,
    ShortfallOut,
)


@router.get(
    "/staffing/norms", response={200: list[NormOut], **ERRORS}, operation_id="staffing_norms_list"
)
def staffing_norms_list(request: HttpRequest) -> list[StaffingNorm]:
    """The norms in force at the caller's place (per committee kind, the nearest bureau's)."""
    return staffing.norms_in_force(caller(request, Capability.MEDIATOR_VIEW).organisation)


@router.put(
    "/staffing/norms",
    response={200: list[NormOut], **ERRORS},
    operation_id="staffing_norms_update",
)
def staffing_norms_update(request: HttpRequest, body: NormIn) -> list[StaffingNorm]:
    """Set the caller's bureau's norm for a committee kind (both minimums 0: remove it)."""
    user = caller(request, Capability.RULES_CONFIGURE)
    staffing.norm_set(
        actor=user,
        committee_kind=body.committee_kind,
        min_full_time=body.min_full_time,
        min_total=body.min_total,
    )
    return staffing.norms_in_force(user.organisation)


@router.get(
    "/staffing/below-norms",
    response={200: list[ShortfallOut], **ERRORS},
    operation_id="staffing_below_norms",
)
def staffing_below_norms(request: HttpRequest) -> list[dict[str, Any]]:
    """Committees of the caller's subtree with fewer active mediators than their norm."""
    return [
        {
            "committee_id": s.committee.pk,
            "committee_name": s.committee.name,
            "full_time": s.full_time,
            "total": s.total,
            "min_full_time": s.min_full_time,
            "min_total": s.min_total,
        }
        for s in staffing.below_norms(caller(request, Capability.MEDIATOR_VIEW))
    ]


@router.post(
    "/mediators/{id:mediator_id}/insurance",
    response={201: PolicyOut, **ERRORS},
    operation_id="mediator_insurance_create",
)
def mediator_insurance_create(
    request: HttpRequest, mediator_id: int, body: PolicyIn
) -> Status[InsurancePolicy]:
    user = caller(request, Capability.MEDIATOR_MANAGE)
    mediator = mediator_policy.get_or_404(
        user, Capability.MEDIATOR_VIEW, base=Mediator.objects.all(), pk=mediator_id
    )
    policy = staffing.policy_add(
        actor=user, mediator=mediator, data=staffing.PolicyData(**body.model_dump())
    )
    return Status(201, policy)


@router.get("/insurance", response={200: InsuranceOut, **ERRORS}, operation_id="insurance_report")
def insurance_report(request: HttpRequest) -> dict[str, Any]:
    """Active mediators uninsured today, and those whose cover ends within 30 days."""
    report = staffing.insurance(caller(request, Capability.MEDIATOR_VIEW))
    return {
        "uninsured": [{"mediator_id": m.pk, "name": m.name} for m in report.uninsured],
        "expiring": [
            {"mediator_id": m.pk, "name": m.name, "ends_on": end} for m, end in report.expiring
        ],
    }
