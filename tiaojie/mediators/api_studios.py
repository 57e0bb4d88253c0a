"""API of the studios registry (on the registry's router): the same services and scopes as the
pages; a studio or committee not the caller's is 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Status

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.core.api import ERRORS, caller
from tiaojie.mediators import selectors, studios
from tiaojie.mediators.api import router
from tiaojie.mediators.models_studios import Studio
from tiaojie.mediators.schemas_studios import StudioCloseIn, StudioIn, StudioOut, StudioUpdateIn


def studio_out(row: Studio) -> dict[str, Any]:
    return {
        "id": row.pk,
        "version": row.version,
        "committee_id": row.committee_id,
        "committee_name": row.committee.name,
        "name": row.name,
        "kind": row.kind,
        "mediator_id": row.mediator_id,
        "mediator_name": row.mediator.name if row.mediator else "",
        "opened_on": row.opened_on,
        "closed_on": row.closed_on,
        "address": row.address,
        "hours": row.hours,
    }


def _studio(user: User, studio_id: int) -> Studio:
    return get_object_or_404(studios.studios_for(user), pk=studio_id)


@router.get(
    "/mediator-studios",
    response={200: list[StudioOut], **ERRORS},
    operation_id="mediator_studios_list",
)
def mediator_studios_list(
    request: HttpRequest, committee_id: int | None = None, state: str = "open"
) -> list[dict[str, Any]]:
    """Brand rooms and personal studios of the caller's committees; ``state`` is ``open``
    (the default), ``closed`` or ``all``."""
    user = caller(request, Capability.MEDIATOR_VIEW)
    found = studios.studios_for(user, committee_id=committee_id, state=state)
    return [studio_out(s) for s in found[:1000]]


@router.post(
    "/mediator-studios",
    response={201: StudioOut, **ERRORS},
    operation_id="mediator_studios_create",
)
def mediator_studios_create(request: HttpRequest, body: StudioIn) -> Status[dict[str, Any]]:
    """Register a studio of a committee in the caller's subtree."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    committee = selectors.committees_in_scope(user).filter(pk=body.committee_id).first()
    if committee is None:
        raise Http404
    made = studios.studio_add(
        actor=user,
        committee=committee,
        data=studios.StudioData(
            body.name, body.kind, body.mediator_id, body.opened_on, body.address, body.hours
        ),
    )
    return Status(201, studio_out(made))


@router.put(
    "/mediator-studios/{id:studio_id}",
    response={200: StudioOut, **ERRORS},
    operation_id="mediator_studios_update",
)
def mediator_studios_update(
    request: HttpRequest, studio_id: int, body: StudioUpdateIn
) -> dict[str, Any]:
    """Change a studio (a stale ``version`` is refused with 409)."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    changed = studios.studio_edit(
        actor=user,
        studio=_studio(user, studio_id),
        data=studios.StudioData(
            body.name, body.kind, body.mediator_id, body.opened_on, body.address, body.hours
        ),
        version=body.version,
    )
    return studio_out(changed)


@router.post(
    "/mediator-studios/{id:studio_id}/close",
    response={200: StudioOut, **ERRORS},
    operation_id="mediator_studios_close",
)
def mediator_studios_close(
    request: HttpRequest, studio_id: int, body: StudioCloseIn
) -> dict[str, Any]:
    """Close a studio from a day (not before it opened)."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    closed = studios.studio_close(
        actor=user, studio=_studio(user, studio_id), closed_on=body.closed_on, version=body.version
    )
    return studio_out(closed)
