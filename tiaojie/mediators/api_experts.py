"""API of expert pools and of the consultations recorded on cases (on the registry's router):
the same services and scopes as the pages; a pool, member or case not the caller's is 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Status

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy
from tiaojie.core.api import ERRORS, caller
from tiaojie.mediators import experts
from tiaojie.mediators.api import router
from tiaojie.mediators.models_experts import Consultation, Expert, ExpertPool
from tiaojie.mediators.schemas_experts import (
    ExpertConsultationIn,
    ExpertConsultationOut,
    ExpertMemberIn,
    ExpertMemberOut,
    ExpertMoveIn,
    ExpertOpinionIn,
    ExpertPersonalOut,
    ExpertPoolIn,
    ExpertPoolOut,
)


def pool_out(pool: ExpertPool) -> dict[str, Any]:
    return {
        "id": pool.pk,
        "version": pool.version,
        "name": pool.name,
        "owner_id": pool.owner_id,
        "owner_name": pool.owner.name,
        "dispute_types": [t.code for t in pool.dispute_types.all()],
        "description": pool.description,
        "active_members": getattr(
            pool, "active_members", pool.members.filter(status="active").count()
        ),
    }


def member_out(expert: Expert) -> dict[str, Any]:
    return {
        "id": expert.pk,
        "version": expert.version,
        "pool_id": expert.pool_id,
        "mediator_id": expert.mediator_id,
        "name": expert.name,
        "profession": expert.profession,
        "field": expert.field,
        "employer": expert.employer,
        "title": expert.title,
        **experts.masked(expert),
        "status": expert.status,
        "since": expert.since,
        "status_since": expert.status_since,
        "left_on": expert.left_on,
    }


def consultation_out(row: Consultation) -> dict[str, Any]:
    return {
        "id": row.pk,
        "version": row.version,
        "case_id": row.case_id,
        "expert_id": row.expert_id,
        "expert_name": row.expert.name,
        "expert_profession": row.expert.profession,
        "expert_field": row.expert.field,
        "pool_name": row.expert.pool.name,
        "asked_on": row.asked_on,
        "question": row.question,
        "opinion": row.opinion,
        "answered_on": row.answered_on,
        "followed": row.followed,
    }


# Each row is looked up in the queryset already narrowed to the caller's scope, so "not yours"
# reads as "not there" (404).
def _pool(user: User, pool_id: int) -> ExpertPool:
    return get_object_or_404(experts.pools_visible(user), pk=pool_id)


def _expert(user: User, expert_id: int) -> Expert:
    visible = Expert.objects.filter(pool__in=experts.pools_visible(user))
    return get_object_or_404(visible.select_related("pool__owner"), pk=expert_id)


def _case(user: User, case_id: int) -> Case:
    return case_policy.get_or_404(
        user, Capability.CASE_CONTENT, base=Case.objects.select_related("committee"), pk=case_id
    )


@router.get(
    "/expert-pools", response={200: list[ExpertPoolOut], **ERRORS}, operation_id="expert_pools_list"
)
def expert_pools_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The pools kept at or above the caller's organisation, and below it."""
    user = caller(request, Capability.MEDIATOR_VIEW)
    pools = experts.pools_visible(user).annotate(
        active_members=Count("members", filter=Q(members__status="active"))
    )
    return [pool_out(p) for p in pools[:1000]]


@router.post(
    "/expert-pools", response={201: ExpertPoolOut, **ERRORS}, operation_id="expert_pools_create"
)
def expert_pools_create(request: HttpRequest, body: ExpertPoolIn) -> Status[dict[str, Any]]:
    """A pool kept by the caller's bureau, for dispute types of the dictionary."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    pool = experts.pool_save(
        actor=user,
        name=body.name,
        types=experts.dispute_types(body.dispute_types),
        description=body.description,
    )
    return Status(201, pool_out(pool))


@router.get(
    "/expert-pools/{id:pool_id}",
    response={200: ExpertPoolOut, **ERRORS},
    operation_id="expert_pools_get",
)
def expert_pools_get(request: HttpRequest, pool_id: int) -> dict[str, Any]:
    return pool_out(_pool(caller(request, Capability.MEDIATOR_VIEW), pool_id))


@router.put(
    "/expert-pools/{id:pool_id}",
    response={200: ExpertPoolOut, **ERRORS},
    operation_id="expert_pools_update",
)
def expert_pools_update(request: HttpRequest, pool_id: int, body: ExpertPoolIn) -> dict[str, Any]:
    user = caller(request, Capability.MEDIATOR_MANAGE)
    pool = experts.pool_save(
        actor=user,
        name=body.name,
        types=experts.dispute_types(body.dispute_types),
        description=body.description,
        pool=_pool(user, pool_id),
        version=body.version,
    )
    return pool_out(pool)


@router.get(
    "/expert-pools/{id:pool_id}/members",
    response={200: list[ExpertMemberOut], **ERRORS},
    operation_id="expert_members_list",
)
def expert_members_list(request: HttpRequest, pool_id: int) -> list[dict[str, Any]]:
    """A pool's members, outside experts' personal data masked."""
    pool = _pool(caller(request, Capability.MEDIATOR_VIEW), pool_id)
    return [member_out(e) for e in pool.members.all()]


@router.post(
    "/expert-pools/{id:pool_id}/members",
    response={201: ExpertMemberOut, **ERRORS},
    operation_id="expert_members_add",
)
def expert_members_add(
    request: HttpRequest, pool_id: int, body: ExpertMemberIn
) -> Status[dict[str, Any]]:
    user = caller(request, Capability.MEDIATOR_MANAGE)
    made = experts.expert_add(
        actor=user,
        pool=_pool(user, pool_id),
        data=experts.ExpertData(
            field=body.field,
            profession=body.profession,
            mediator_id=body.mediator_id,
            name=body.name,
            employer=body.employer,
            title=body.title,
            id_number=body.id_number,
            phone=body.phone,
            since=body.since,
        ),
    )
    return Status(201, member_out(made))


@router.post(
    "/expert-members/{id:expert_id}/status",
    response={200: ExpertMemberOut, **ERRORS},
    operation_id="expert_members_move",
)
def expert_members_move(request: HttpRequest, expert_id: int, body: ExpertMoveIn) -> dict[str, Any]:
    """Suspend, reinstate, or record that the member left the pool, from a day."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    moved = experts.expert_transition(
        actor=user,
        expert=_expert(user, expert_id),
        action=body.action,
        reason=body.reason,
        version=body.version,
        on=body.on,
    )
    return member_out(moved)


@router.post(
    "/expert-members/{id:expert_id}/personal",
    response={200: ExpertPersonalOut, **ERRORS},
    operation_id="expert_members_reveal",
)
def expert_members_reveal(request: HttpRequest, expert_id: int) -> dict[str, str]:
    """An outside expert's ID number and phone in full; recorded in the audit trail."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    return experts.revealed(user, _expert(user, expert_id))


@router.get(
    "/cases/{id:case_id}/expert-consultations",
    response={200: list[ExpertConsultationOut], **ERRORS},
    operation_id="expert_consultations_list",
)
def expert_consultations_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = _case(caller(request, Capability.CASE_CONTENT), case_id)
    return [consultation_out(c) for c in experts.consultations_of(case)]


@router.get(
    "/cases/{id:case_id}/expert-choices",
    response={200: list[ExpertMemberOut], **ERRORS},
    operation_id="expert_consultations_choices",
)
def expert_consultations_choices(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """The pool members who may be consulted on the case now."""
    case = _case(caller(request, Capability.CASE_CONTENT), case_id)
    return [member_out(e) for e in experts.experts_for_case(case)]


@router.post(
    "/cases/{id:case_id}/expert-consultations",
    response={201: ExpertConsultationOut, **ERRORS},
    operation_id="expert_consultations_create",
)
def expert_consultations_create(
    request: HttpRequest, case_id: int, body: ExpertConsultationIn
) -> Status[dict[str, Any]]:
    user = caller(request, Capability.CASE_HANDLE)
    row = experts.consultation_record(
        actor=user,
        case=_case(user, case_id),
        expert_id=body.expert_id,
        question=body.question,
        asked_on=body.asked_on,
        opinion=body.opinion,
        answered_on=body.answered_on,
        followed=body.followed,
    )
    return Status(201, consultation_out(row))


@router.post(
    "/expert-consultations/{id:consultation_id}/opinion",
    response={200: ExpertConsultationOut, **ERRORS},
    operation_id="expert_consultations_answer",
)
def expert_consultations_answer(
    request: HttpRequest, consultation_id: int, body: ExpertOpinionIn
) -> dict[str, Any]:
    """Record (or correct) the expert's opinion and whether it was followed."""
    user = caller(request, Capability.CASE_HANDLE)
    # A consultation is the case's: answered only by whom the case's content is open to.
    cases = case_policy.visible(user, Capability.CASE_CONTENT)
    row = get_object_or_404(
        Consultation.objects.filter(case__in=cases).select_related(
            "case__committee", "expert__pool"
        ),
        pk=consultation_id,
    )
    saved = experts.consultation_answer(
        actor=user,
        consultation=row,
        opinion=body.opinion,
        answered_on=body.answered_on,
        followed=body.followed,
        version=body.version,
    )
    return consultation_out(saved)
