"""API of mediators' associations (on the registry's router): the same services and scopes as
the pages; an association, member or mediator not the caller's is 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Status

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.core.api import ERRORS, caller
from tiaojie.mediators import associations
from tiaojie.mediators.api import router
from tiaojie.mediators.models import Mediator
from tiaojie.mediators.models_associations import AssociationMember
from tiaojie.mediators.rules import mediator_policy
from tiaojie.mediators.schemas_associations import (
    AssociationCommitteeIn,
    AssociationMediatorIn,
    AssociationMemberEndIn,
    AssociationMemberOut,
    AssociationOut,
)
from tiaojie.organisations.models import Organisation


def member_out(row: AssociationMember) -> dict[str, Any]:
    return {
        "id": row.pk,
        "version": row.version,
        "association_id": row.association_id,
        "association_name": row.association.name,
        "committee_id": row.committee_id,
        "mediator_id": row.mediator_id,
        "name": row.committee.name if row.committee else row.mediator.name if row.mediator else "",
        "role": row.role,
        "joined": row.joined,
        "left": row.left,
    }


def _association(user: User, association_id: int) -> Organisation:
    return get_object_or_404(associations.associations_visible(user), pk=association_id)


@router.get(
    "/associations",
    response={200: list[AssociationOut], **ERRORS},
    operation_id="associations_list",
)
def associations_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The associations in the caller's subtree, with their current member count."""
    user = caller(request, Capability.MEDIATOR_VIEW)
    counts = dict(
        AssociationMember.objects.filter(left__isnull=True)
        .values("association_id")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("association_id", "n")
    )
    return [
        {
            "id": a.pk,
            "name": a.name,
            "area_id": a.parent_id,
            "area_name": a.parent.name if a.parent else "",
            "current_members": counts.get(a.pk, 0),
        }
        for a in associations.associations_visible(user).order_by("path")[:1000]
    ]


@router.get(
    "/associations/{id:association_id}/members",
    response={200: list[AssociationMemberOut], **ERRORS},
    operation_id="association_members_list",
)
def association_members_list(
    request: HttpRequest, association_id: int, current: bool = False
) -> list[dict[str, Any]]:
    """Members now and, unless ``current``, those who left (history)."""
    user = caller(request, Capability.MEDIATOR_VIEW)
    association = _association(user, association_id)
    return [member_out(m) for m in associations.members_of(association, current_only=current)]


@router.post(
    "/associations/{id:association_id}/committees",
    response={201: AssociationMemberOut, **ERRORS},
    operation_id="association_committees_add",
)
def association_committees_add(
    request: HttpRequest, association_id: int, body: AssociationCommitteeIn
) -> Status[dict[str, Any]]:
    """A committee of the association's area joins (团体会员)."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    association = _association(user, association_id)
    committee = Organisation.objects.filter(pk=body.committee_id).first()
    if committee is None:
        raise Http404
    row = associations.committee_join(
        actor=user, association=association, committee=committee, joined=body.joined
    )
    return Status(201, member_out(row))


@router.post(
    "/associations/{id:association_id}/mediators",
    response={201: AssociationMemberOut, **ERRORS},
    operation_id="association_mediators_add",
)
def association_mediators_add(
    request: HttpRequest, association_id: int, body: AssociationMediatorIn
) -> Status[dict[str, Any]]:
    """A mediator serving in a committee of the area joins (个人会员) with an office."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    association = _association(user, association_id)
    mediator = Mediator.objects.filter(pk=body.mediator_id).first()
    if mediator is None:
        raise Http404
    row = associations.mediator_join(
        actor=user, association=association, mediator=mediator, role=body.role, joined=body.joined
    )
    return Status(201, member_out(row))


@router.post(
    "/association-members/{id:member_id}/end",
    response={200: AssociationMemberOut, **ERRORS},
    operation_id="association_members_end",
)
def association_members_end(
    request: HttpRequest, member_id: int, body: AssociationMemberEndIn
) -> dict[str, Any]:
    """The member leaves; the row stays as history."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    row = (
        AssociationMember.objects.filter(
            pk=member_id, association__in=associations.associations_visible(user)
        )
        .select_related("association__parent", "committee", "mediator")
        .first()
    )
    if row is None:
        raise Http404
    ended = associations.membership_end(
        actor=user, member=row, left=body.left, version=body.version
    )
    ended.association = row.association
    return member_out(ended)


@router.get(
    "/mediators/{id:mediator_id}/associations",
    response={200: list[AssociationMemberOut], **ERRORS},
    operation_id="mediator_associations_list",
)
def mediator_associations_list(request: HttpRequest, mediator_id: int) -> list[dict[str, Any]]:
    """The associations the mediator belongs or belonged to (所属协会)."""
    user = caller(request, Capability.MEDIATOR_VIEW)
    mediator = mediator_policy.get_or_404(user, Capability.MEDIATOR_VIEW, pk=mediator_id)
    return [member_out(m) for m in associations.places_of(mediator)]
