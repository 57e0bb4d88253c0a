"""What the API could not do that the pages do (issue 9, item 12): attach a file, add a
mediator or let one withdraw, check for the same dispute registered twice, and find the earlier
appearances of a person. Each calls the service or selector the page calls, with its checks
and audit events; nothing here decides."""

from __future__ import annotations

from typing import Any, cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Status, UploadedFile

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.cases import selectors
from tiaojie.cases.api import router
from tiaojie.cases.api_records import attachment_out, case_for, mediator_out
from tiaojie.cases.error_codes import CasesErrorCode as E
from tiaojie.cases.schemas_records import (
    AppearanceOut,
    AttachmentOut,
    CaseMediatorOut,
    DuplicateOut,
    LookupIn,
    MediatorAddIn,
    MediatorWithdrawIn,
)
from tiaojie.cases.services import attachments, intake, records
from tiaojie.core.api import ERRORS, caller
from tiaojie.core.errors import NotPermitted, field_error

# On the cases router (``config/api.py`` imports this module).
BINARY = {"schema": {"type": "string", "format": "binary"}}


# --- Attachments -------------------------------------------------------------------------------


@router.post(
    "/cases/{id:case_id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    operation_id="attachments_create",
)
def attachments_create(
    request: HttpRequest,
    case_id: int,
    file: File[UploadedFile],
    kind: Form[str],
    title: Form[str] = "",
    version: Form[int | None] = None,
) -> Status[dict[str, Any]]:
    """Keep a file with the case (``multipart/form-data``): ``kind`` is evidence, identity,
    authorisation, receipt or other. The page's checks: PDF, JPG, PNG, DOCX, XLSX, MP3 or M4A
    by name *and* content, at most ``TIAOJIE_ATTACHMENT_MAX_MB`` (422 with ``fields.file``)."""
    attachment = attachments.attachment_add(
        actor=caller(request),
        case=case_for(request, case_id),
        kind=kind,
        title=title,
        file=file,
        version=version,
    )
    return Status(201, attachment_out(attachment))


@router.get(
    "/cases/{id:case_id}/attachments/{id:attachment_id}/file",
    response={200: None, **ERRORS},
    operation_id="attachments_download",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file as uploaded.",
                "content": {kind: BINARY for kind, _check in attachments.ALLOWED.values()},
            }
        }
    },
)
def attachments_download(request: HttpRequest, case_id: int, attachment_id: int) -> HttpResponse:
    """The file itself, as the page serves it; recorded in the audit trail."""
    case = case_for(request, case_id)
    attachment = get_object_or_404(
        case.attachments.select_related("case__committee"), pk=attachment_id
    )
    path = attachments.stored_path(attachment)
    if not path.is_file():
        raise Http404
    attachments.attachment_downloaded(actor=caller(request), attachment=attachment)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    return cast(HttpResponse, response)


# --- Mediators ---------------------------------------------------------------------------------


@router.post(
    "/cases/{id:case_id}/mediators",
    response={201: CaseMediatorOut, **ERRORS},
    operation_id="case_mediators_create",
)
def case_mediators_create(
    request: HttpRequest, case_id: int, body: MediatorAddIn
) -> Status[dict[str, Any]]:
    """Add a mediator to a case in mediation (the director: e.g. to replace one who withdrew)."""
    case = case_for(request, case_id)
    person = User.objects.filter(pk=body.mediator_id).first()
    if person is None:
        raise field_error(
            "mediator_id", _("Every mediator must be an active mediator of this committee.")
        )
    assignment = records.mediator_add(
        actor=caller(request), case=case, mediator=person, version=body.version
    )
    return Status(201, mediator_out(assignment))


@router.post(
    "/cases/{id:case_id}/mediators/{id:assignment_id}/withdrawal",
    response={200: CaseMediatorOut, **ERRORS},
    operation_id="case_mediators_withdraw",
)
def case_mediators_withdraw(
    request: HttpRequest, case_id: int, assignment_id: int, body: MediatorWithdrawIn
) -> dict[str, Any]:
    """A mediator steps aside (回避), with the reason; the last one serving cannot (409)."""
    case = case_for(request, case_id)
    assignment = get_object_or_404(case.mediators.select_related("mediator"), pk=assignment_id)
    withdrawn = records.mediator_withdraw(
        actor=caller(request),
        case=case,
        mediator=assignment.mediator,
        reason=body.reason,
        version=body.version,
    )
    return mediator_out(withdrawn)


# --- Intake hints ------------------------------------------------------------------------------


def _registers_at(user: User) -> Any:
    """Where the caller's registrations land; 403 as on the intake page for a role that does
    not register or an officer away from a governance centre."""
    if not user.can(Capability.CASE_REGISTER) or not intake.has_intake(user):
        raise NotPermitted(E.NOT_PERMITTED, _("Your role may not do this."))
    return intake.registers_at(user)


@router.post(
    "/cases/duplicates",
    response={200: list[DuplicateOut], **ERRORS},
    operation_id="cases_duplicates",
)
def cases_duplicates(request: HttpRequest, body: LookupIn) -> Any:
    """Before registering: open cases of the caller's committee (or centre) from the last 90
    days with a party of one of these ID numbers or phones — the same dispute may be registered
    already."""
    actor = caller(request)
    holder = _registers_at(actor)
    found = selectors.possible_duplicates(actor, holder, body.values)
    fields = ("id", "number", "summary", "status", "registered_at")
    return [{name: getattr(case, name) for name in fields} for case in found]


@router.post(
    "/parties/appearances",
    response={200: list[AppearanceOut], **ERRORS},
    operation_id="parties_appearances",
)
def parties_appearances(request: HttpRequest, body: LookupIn) -> Any:
    """Earlier parties with this exact ID number or phone, in cases the caller may read (the
    intake form's hint): names and cases, never the numbers themselves."""
    actor = caller(request)
    _registers_at(actor)
    found: dict[int, Any] = {}
    for value in body.values:
        for party in selectors.parties_matching(actor, value):
            found.setdefault(party.pk, party)
    return [
        {
            "party_id": party.pk,
            "name": party.name,
            "role": party.role,
            "case_id": party.case_id,
            "case_number": party.case.number,
            "registered_at": party.case.registered_at,
        }
        for party in found.values()
    ]
