"""API of grade promotions and honours, on the registry's router (imported by ``config.api``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Status

from tiaojie.accounts.roles import Capability
from tiaojie.core.api import ERRORS, caller
from tiaojie.mediators import promotions
from tiaojie.mediators.api import router
from tiaojie.mediators.models import Honour, Mediator, Promotion
from tiaojie.mediators.rules import mediator_policy
from tiaojie.mediators.schemas_evaluation import (
    MediatorHonourIn,
    MediatorHonourOut,
    MediatorPromotionDecisionIn,
    MediatorPromotionIn,
    MediatorPromotionOut,
)


@router.get(
    "/mediator-promotions",
    response={200: list[MediatorPromotionOut], **ERRORS},
    operation_id="mediator_promotions_list",
)
def mediator_promotions_list(request: HttpRequest) -> list[Promotion]:
    """Promotion proposals about the caller's mediators, newest first."""
    return list(promotions.promotions_for(caller(request, Capability.MEDIATOR_VIEW))[:500])


@router.post(
    "/mediators/{id:mediator_id}/promotions",
    response={201: MediatorPromotionOut, **ERRORS},
    operation_id="mediator_promotions_create",
)
def mediator_promotions_create(
    request: HttpRequest, mediator_id: int, body: MediatorPromotionIn
) -> Status[Promotion]:
    """Propose a higher grade of the mediator's ladder (a bureau decides)."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    mediator = mediator_policy.get_or_404(
        user,
        Capability.MEDIATOR_VIEW,
        base=Mediator.objects.select_related("grade"),
        pk=mediator_id,
    )
    made = promotions.propose(
        actor=user, mediator=mediator, to_grade_id=body.to_grade_id, grounds=body.grounds
    )
    return Status(201, made)


@router.post(
    "/mediator-promotions/{id:promotion_id}/decision",
    response={200: MediatorPromotionOut, **ERRORS},
    operation_id="mediator_promotions_decide",
)
def mediator_promotions_decide(
    request: HttpRequest, promotion_id: int, body: MediatorPromotionDecisionIn
) -> Promotion:
    """A bureau approves (the mediator takes the grade) or rejects (reason required)."""
    user = caller(request, Capability.MEDIATOR_VIEW)
    found = promotions.promotions_for(user).filter(pk=promotion_id).first()
    if found is None:
        raise Http404
    return promotions.decide(
        actor=user,
        promotion=found,
        action=body.action,
        reason=body.reason,
        version=body.version,
    )


@router.get(
    "/mediator-honours",
    response={200: list[MediatorHonourOut], **ERRORS},
    operation_id="mediator_honours_list",
)
def mediator_honours_list(request: HttpRequest, year: int | None = None) -> list[Honour]:
    """The honours register of the caller's mediators."""
    return list(promotions.honours_for(caller(request, Capability.MEDIATOR_VIEW), year)[:1000])


@router.post(
    "/mediators/{id:mediator_id}/honours",
    response={201: MediatorHonourOut, **ERRORS},
    operation_id="mediator_honours_create",
)
def mediator_honours_create(
    request: HttpRequest, mediator_id: int, body: MediatorHonourIn
) -> Status[Honour]:
    user = caller(request, Capability.MEDIATOR_MANAGE)
    mediator = mediator_policy.get_or_404(
        user, Capability.MEDIATOR_VIEW, base=Mediator.objects.all(), pk=mediator_id
    )
    made = promotions.honour_add(
        actor=user,
        mediator=mediator,
        title=body.title,
        name=body.name,
        year=body.year,
        awarded_by=body.awarded_by,
    )
    return Status(201, made)
