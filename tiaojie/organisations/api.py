"""API of the organisation tree: the same selectors and services as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from tiaojie.core.api import ERRORS, PAGE, PAGE_SIZE, Page, caller, paginate
from tiaojie.core.capabilities import Capability
from tiaojie.organisations import import_services, moves, selectors, services
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.rules import organisation_policy
from tiaojie.organisations.schemas import (
    OrganisationCreateIn,
    OrganisationMoveIn,
    OrganisationOut,
    OrganisationStatusIn,
    OrganisationUpdateIn,
    TreeImportOut,
)
from tiaojie.organisations.validation import OrganisationData

router = Router(tags=["organisations"])


@router.get(
    "/organisations",
    response={200: Page[OrganisationOut], **ERRORS},
    operation_id="organisations_list",
)
def organisations_list(
    request: HttpRequest,
    parent: int | None = None,
    kind: str = "",
    status: str = "",
    q: str = "",
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
) -> dict[str, object]:
    """Organisations the caller may see: their own and everything below it."""
    qs = selectors.organisations_for(caller(request), parent=parent, kind=kind, status=status, q=q)
    return paginate(qs.order_by("path"), page, page_size)


@router.post(
    "/organisations/import",
    response={200: TreeImportOut, **ERRORS},
    operation_id="organisations_import",
)
def organisations_import(
    request: HttpRequest, anchor_id: Form[int], file: File[UploadedFile]
) -> dict[str, int]:
    """Create a whole tree under ``anchor_id`` from an XLSX/CSV file (multipart).

    Nothing is written unless every row is valid; otherwise 422 ``import_invalid`` with one
    ``fields`` entry per problem, keyed ``"<row>:<column>"`` as the spreadsheet shows them.
    """
    actor = caller(request)
    if not actor.can(Capability.ORGANISATION_IMPORT):
        raise PermissionDenied
    anchor = organisation_policy.get_or_404(actor, Capability.ORGANISATION_IMPORT, pk=anchor_id)
    created = import_services.organisation_tree_import(
        actor=actor, anchor=anchor, file=file, file_name=file.name or ""
    )
    return {"created": len(created)}


@router.get(
    "/organisations/{id:org_id}",
    response={200: OrganisationOut, **ERRORS},
    operation_id="organisations_read",
)
def organisations_read(request: HttpRequest, org_id: int) -> Organisation:
    return organisation_policy.get_or_404(caller(request), Capability.ORGANISATION_VIEW, pk=org_id)


@router.post(
    "/organisations", response={201: OrganisationOut, **ERRORS}, operation_id="organisations_create"
)
def organisations_create(request: HttpRequest, body: OrganisationCreateIn) -> Status[Organisation]:
    """Add an organisation under ``parent_id``."""
    actor = caller(request)
    parent = organisation_policy.get_or_404(
        actor, Capability.ORGANISATION_MANAGE, pk=body.parent_id
    )
    data = OrganisationData(**body.dict(exclude={"parent_id"}))
    return Status(201, services.organisation_create(actor=actor, parent=parent, data=data))


@router.put(
    "/organisations/{id:org_id}",
    response={200: OrganisationOut, **ERRORS},
    operation_id="organisations_update",
)
def organisations_update(
    request: HttpRequest, org_id: int, body: OrganisationUpdateIn
) -> Organisation:
    """Change an organisation's attributes; send back the ``version`` you read (409 if stale)."""
    actor = caller(request)
    org = organisation_policy.get_or_404(actor, Capability.ORGANISATION_MANAGE, pk=org_id)
    data = OrganisationData(kind=org.kind, **body.dict(exclude={"version"}))
    return services.organisation_update(actor=actor, org=org, data=data, version=body.version)


@router.post(
    "/organisations/{id:org_id}/status",
    response={200: OrganisationOut, **ERRORS},
    operation_id="organisations_change_status",
)
def organisations_change_status(
    request: HttpRequest, org_id: int, body: OrganisationStatusIn
) -> Organisation:
    """Mark an organisation merged or dissolved (or active again), with the date and reason."""
    actor = caller(request)
    org = organisation_policy.get_or_404(actor, Capability.ORGANISATION_MANAGE, pk=org_id)
    merged_into = (
        organisation_policy.get_or_404(
            actor, Capability.ORGANISATION_MANAGE, pk=body.merged_into_id
        )
        if body.merged_into_id is not None
        else None
    )
    return services.organisation_change_status(
        actor=actor,
        org=org,
        status=body.status,
        on=body.status_changed_on,
        merged_into=merged_into,
        reason=body.reason,
        version=body.version,
    )


@router.post(
    "/organisations/{id:org_id}/move",
    response={200: OrganisationOut, **ERRORS},
    operation_id="organisations_move",
)
def organisations_move(request: HttpRequest, org_id: int, body: OrganisationMoveIn) -> Organisation:
    """Move an organisation, with everything below it, under ``parent_id`` (迁移); the caller
    must manage both. Refused with nothing changed: 422 ``invalid`` (a parent inside the
    subtree or of the wrong kind, the same parent, a blank reason), 422 ``duplicate_name``
    (the name is taken there), 409 ``stale_version``; a parent out of reach is 404."""
    actor = caller(request)
    org = organisation_policy.get_or_404(actor, Capability.ORGANISATION_MANAGE, pk=org_id)
    parent = organisation_policy.get_or_404(
        actor, Capability.ORGANISATION_MANAGE, pk=body.parent_id
    )
    return moves.organisation_move(
        actor=actor, org=org, parent=parent, reason=body.reason, version=body.version
    )
