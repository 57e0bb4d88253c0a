"""API of the mediator registry: the same services and selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Status, UploadedFile

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import DisputeType
from tiaojie.core import xlsx
from tiaojie.core.api import ERRORS, PAGE, PAGE_SIZE, Page, caller, paginate
from tiaojie.core.errors import ValidationFailed
from tiaojie.mediators import exports, presenters, roster_import, selectors, services
from tiaojie.mediators.error_codes import MediatorsErrorCode as E
from tiaojie.mediators.models import Grade, Mediator, Membership
from tiaojie.mediators.rules import mediator_policy
from tiaojie.mediators.schemas import (
    GradeOut,
    LadderIn,
    MediatorRecordCreateIn,
    MediatorRecordIn,
    MediatorRecordOut,
    MediatorRecordUpdateIn,
    MediatorTransitionIn,
    MembershipEndIn,
    MembershipIn,
    MembershipOut,
    PersonalOut,
    RosterImportOut,
)
from tiaojie.mediators.workflow import mediator_transition
from tiaojie.organisations.models import Organisation

router = Router(tags=["Mediators"])


def _mediator(
    request: HttpRequest, mediator_id: int, capability: Capability
) -> tuple[User, Mediator]:
    user = caller(request, capability)
    return user, mediator_policy.get_or_404(
        user,
        Capability.MEDIATOR_VIEW,
        base=Mediator.objects.select_related("grade"),
        pk=mediator_id,
    )


def _types(codes: list[str]) -> list[DisputeType]:
    found = {t.code: t for t in DisputeType.objects.filter(code__in=codes, valid_to__isnull=True)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        message = _("Unknown dispute type: %(codes)s.") % {"codes": ", ".join(unknown)}
        raise ValidationFailed(E.INVALID, message, fields={"expertise": [message]})
    return [found[c] for c in dict.fromkeys(codes)]


def _data(body: MediatorRecordIn) -> services.MediatorData:
    return services.MediatorData(
        name=body.name,
        id_number=body.id_number,
        employment=body.employment,
        phone=body.phone,
        address=body.address,
        source=body.source,
        education=body.education,
        political_status=body.political_status,
        certificate_number=body.certificate_number,
        certified=body.certified,
        grade_id=body.grade_id,
        expertise=_types(body.expertise),
        joined_on=body.joined_on,
        user_id=body.user_id,
    )


def _committee(user: User, committee_id: int) -> Organisation:
    found = selectors.committees_in_scope(user).filter(pk=committee_id).first()
    if found is None:
        message = _("Choose an active committee within your organisation.")
        raise ValidationFailed(
            E.COMMITTEE_OUT_OF_SCOPE, message, fields={"committee_id": [message]}
        )
    return found


@router.get(
    "/mediators", response={200: Page[MediatorRecordOut], **ERRORS}, operation_id="mediators_list"
)
def mediators_list(
    request: HttpRequest,
    q: str = "",
    committee_id: int | None = None,
    employment: str = "",
    source: str = "",
    status: str = "",
    grade_id: int | None = None,
    certified: bool | None = None,
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    """The roster of the caller's subtree, one entry per person, personal data masked."""
    user = caller(request, Capability.MEDIATOR_VIEW)
    filters = selectors.RosterFilters(
        q=q[:60],
        committee_id=committee_id,
        employment=employment,
        source=source,
        status=status,
        grade_id=grade_id,
        certified=certified,
    )
    found = paginate(selectors.roster(user, filters).prefetch_related("expertise"), page, page_size)
    found["results"] = [
        presenters.mediator_out(m, getattr(m, "current", [])) for m in found["results"]
    ]
    return found


@router.post(
    "/mediators", response={201: MediatorRecordOut, **ERRORS}, operation_id="mediators_create"
)
def mediators_create(request: HttpRequest, body: MediatorRecordCreateIn) -> Status[dict[str, Any]]:
    """Register a mediator in a committee of the caller's subtree."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    mediator = services.mediator_register(
        actor=user, data=_data(body), committee=_committee(user, body.committee_id), role=body.role
    )
    return Status(201, presenters.mediator_out(mediator))


@router.get(
    "/mediators/{id:mediator_id}",
    response={200: MediatorRecordOut, **ERRORS},
    operation_id="mediators_read",
)
def mediators_read(request: HttpRequest, mediator_id: int) -> dict[str, Any]:
    _user, mediator = _mediator(request, mediator_id, Capability.MEDIATOR_VIEW)
    return presenters.mediator_out(mediator)


@router.put(
    "/mediators/{id:mediator_id}",
    response={200: MediatorRecordOut, **ERRORS},
    operation_id="mediators_update",
)
def mediators_update(
    request: HttpRequest, mediator_id: int, body: MediatorRecordUpdateIn
) -> dict[str, Any]:
    """Replace a mediator's record; a stale ``version`` answers 409."""
    user, mediator = _mediator(request, mediator_id, Capability.MEDIATOR_MANAGE)
    saved = services.mediator_update(
        actor=user, mediator=mediator, data=_data(body), version=body.version
    )
    return presenters.mediator_out(saved)


@router.post(
    "/mediators/{id:mediator_id}/reveal",
    response={200: PersonalOut, **ERRORS},
    operation_id="mediators_reveal",
)
def mediators_reveal(request: HttpRequest, mediator_id: int) -> dict[str, str]:
    """The personal data in full; each call is recorded in the audit trail."""
    user, mediator = _mediator(request, mediator_id, Capability.MEDIATOR_MANAGE)
    return services.revealed(user, mediator)


@router.post(
    "/mediators/{id:mediator_id}/transitions",
    response={200: MediatorRecordOut, **ERRORS},
    operation_id="mediators_transition",
)
def mediators_transition(
    request: HttpRequest, mediator_id: int, body: MediatorTransitionIn
) -> dict[str, Any]:
    """Suspend, reinstate, record leaving or rejoining (409 when the status does not allow)."""
    user, mediator = _mediator(request, mediator_id, Capability.MEDIATOR_MANAGE)
    moved = mediator_transition(
        actor=user,
        mediator=mediator,
        action=body.action,
        reason=body.reason,
        version=body.version,
        on=body.on,
    )
    return presenters.mediator_out(moved)


@router.post(
    "/mediators/{id:mediator_id}/memberships",
    response={201: MembershipOut, **ERRORS},
    operation_id="mediator_memberships_create",
)
def mediator_memberships_create(
    request: HttpRequest, mediator_id: int, body: MembershipIn
) -> Status[dict[str, Any]]:
    """Add a committee to a mediator (one person serving in several committees)."""
    user, mediator = _mediator(request, mediator_id, Capability.MEDIATOR_MANAGE)
    membership = services.membership_add(
        actor=user,
        mediator=mediator,
        committee=_committee(user, body.committee_id),
        role=body.role,
        since=body.since,
    )
    return Status(201, presenters.membership_out(membership))


@router.post(
    "/mediators/{id:mediator_id}/memberships/{id:membership_id}/end",
    response={200: MembershipOut, **ERRORS},
    operation_id="mediator_memberships_end",
)
def mediator_memberships_end(
    request: HttpRequest, mediator_id: int, membership_id: int, body: MembershipEndIn
) -> dict[str, Any]:
    user, mediator = _mediator(request, mediator_id, Capability.MEDIATOR_MANAGE)
    membership = get_object_or_404(
        Membership.objects.select_related("committee"), pk=membership_id, mediator=mediator
    )
    return presenters.membership_out(
        services.membership_end(actor=user, membership=membership, until=body.until)
    )


@router.post(
    "/mediators/import", response={200: RosterImportOut, **ERRORS}, operation_id="mediators_import"
)
def mediators_import(request: HttpRequest, file: File[UploadedFile]) -> dict[str, int]:
    """Import a roster (XLSX/CSV, multipart). Nothing is written unless every row is valid;
    otherwise 422 ``import_invalid`` with one ``fields`` entry per problem, keyed
    ``"<row>:<column>"`` as the spreadsheet shows them."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    result = roster_import.roster_import(actor=user, file=file, file_name=file.name or "")
    return {"people": result.people, "memberships": result.memberships}


@router.get(
    "/mediators/export",
    response={200: None, **ERRORS},
    operation_id="mediators_export",
    openapi_extra={
        "responses": {
            200: {
                "description": "The roster as XLSX.",
                "content": {xlsx.CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def mediators_export(request: HttpRequest, full: bool = False) -> HttpResponse:
    """The roster as XLSX (masked unless ``full``); recorded in the audit trail."""
    user = caller(request, Capability.MEDIATOR_MANAGE)
    return exports.roster_response(user, selectors.roster(user), full=full)


@router.get(
    "/mediator-grades",
    response={200: list[GradeOut], **ERRORS},
    operation_id="mediator_grades_list",
)
def mediator_grades_list(request: HttpRequest) -> list[Grade]:
    """The grade ladders that apply within and above the caller's place."""
    return list(selectors.grades_visible(caller(request, Capability.MEDIATOR_VIEW)))


@router.put(
    "/mediator-grades",
    response={200: list[GradeOut], **ERRORS},
    operation_id="mediator_grades_update",
)
def mediator_grades_update(request: HttpRequest, body: LadderIn) -> list[Grade]:
    """Replace the caller's bureau's ladder (lowest first); a grade someone holds stays."""
    user = caller(request, Capability.RULES_CONFIGURE)
    return services.ladder_set(actor=user, names=body.grades)
