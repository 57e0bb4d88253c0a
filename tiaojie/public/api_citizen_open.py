"""The citizen API's operations that need no citizen token: the respondent's answers and
signature through the texted link (the token in the path is the only credential; a wrong one
answers 404), and the directory by district. On the citizen router (``config/api.py`` imports this module)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status

from tiaojie.cases.choices import AgreementKind
from tiaojie.core.api import ERRORS, DisputeTypeCode
from tiaojie.core.errors import Conflict
from tiaojie.core.middleware import client_ip
from tiaojie.public import directory, selectors, services, signing
from tiaojie.public.api_citizen import ERRORS_429, router
from tiaojie.public.error_codes import PublicErrorCode as E
from tiaojie.public.models import Invitation
from tiaojie.public.schemas_citizen import (
    CitizenDirectoryOut,
    CitizenRespondentIn,
    CitizenRespondentOut,
    CitizenRespondentSigningOut,
    CitizenSentOut,
    CitizenSignIn,
)


def _invitation(token: str) -> Invitation:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    return invitation


def _respondent_out(invitation: Invitation) -> dict[str, Any]:
    case = invitation.case
    return {
        "committee": case.committee.name,
        "dispute_type_name": case.dispute_type.name,
        "status_text": selectors.plain_status(case.status),
        "step": services.respondent_step(invitation),
        "agrees": invitation.agrees or None,
        "has_agreement": case.agreements.filter(
            superseded_at__isnull=True, kind=AgreementKind.WRITTEN
        ).exists(),
    }


@router.get(
    "/citizen/respond/{token}",
    auth=None,
    response={200: CitizenRespondentOut, **ERRORS},
    operation_id="citizen_respondent",
)
def citizen_respondent(request: HttpRequest, token: str) -> dict[str, Any]:
    """What the texted link shows: who asks (the committee), the kind of dispute, the next
    one-question screen. No name of the applicant, no case number."""
    invitation = _invitation(token)
    services.invitation_open(invitation)
    return _respondent_out(invitation)


@router.post(
    "/citizen/respond/{token}",
    auth=None,
    response={200: CitizenRespondentOut, **ERRORS},
    operation_id="citizen_respondent_answer",
)
def citizen_respondent_answer(
    request: HttpRequest, token: str, body: CitizenRespondentIn
) -> dict[str, Any]:
    """Answer the current screen: ``agrees`` (yes/no), ``proposed_time``, ``statement``.
    Answering any other step than the current one is 409."""
    invitation = _invitation(token)
    if body.step != services.respondent_step(invitation):
        raise Conflict(E.STALE, _("This question was already answered. Continue below."))
    invitation = services.respondent_answer(invitation=invitation, step=body.step, value=body.value)
    return _respondent_out(invitation)


# --- The respondent signs (decision 0028; the link's /m/r/<token>/sign/ page, as an API) ----


def _signing_out(invitation: Invitation) -> dict[str, Any]:
    case = invitation.case
    state = signing.state_for(case, invitation.party)
    agreement = state.agreement
    return {
        "status_text": selectors.plain_status(case.status),
        "agreement": None
        if agreement is None
        else {
            "number": agreement.number,
            "formed_on": agreement.formed_on,
            "facts": agreement.facts,
            "content": agreement.content,
            "performance_manner": agreement.performance_manner,
            "performance_deadline": agreement.performance_deadline,
        },
        "may_sign": state.may_sign,
        "signed_on": state.signed.signed_on if state.signed else None,
        "signed_pdf": state.signed_document is not None,
        "sha256": state.signed_document.sha256 if state.signed_document else "",
    }


@router.get(
    "/citizen/respond/{token}/signing",
    auth=None,
    response={200: CitizenRespondentSigningOut, **ERRORS},
    operation_id="citizen_respondent_signing",
)
def citizen_respondent_signing(request: HttpRequest, token: str) -> dict[str, Any]:
    """The agreement to read before signing, whether the respondent may sign now, has signed,
    and whether the sealed PDF is ready."""
    return _signing_out(_invitation(token))


@router.post(
    "/citizen/respond/{token}/signing/code",
    auth=None,
    response={202: CitizenSentOut, **ERRORS_429},
    operation_id="citizen_respondent_signing_code",
)
def citizen_respondent_signing_code(request: HttpRequest, token: str) -> Status[dict[str, bool]]:
    """Text a signing code to the number the committee has for the respondent (409 when there
    is nothing to sign or no mobile number; 429 when asked too often)."""
    invitation = _invitation(token)
    signing.signing_code_send(
        case=invitation.case, party=invitation.party, source=client_ip(request)
    )
    return Status(202, {"sent": True})


@router.post(
    "/citizen/respond/{token}/signing",
    auth=None,
    response={200: CitizenRespondentSigningOut, **ERRORS},
    operation_id="citizen_respondent_sign",
)
def citizen_respondent_sign(
    request: HttpRequest, token: str, body: CitizenSignIn
) -> dict[str, Any]:
    """Sign: the drawn signature (a PNG data URL, checked first so a bad drawing costs no try)
    and the texted code. Audited with the signing log as on the link page."""
    invitation = _invitation(token)
    signing.sign_on_phone(
        case=invitation.case,
        party=invitation.party,
        drawing=body.signature,
        code=body.code,
        source=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return _signing_out(invitation)


@router.get(
    "/citizen/respond/{token}/signed.pdf",
    auth=None,
    response={200: None, **ERRORS},
    operation_id="citizen_respondent_signed_pdf",
)
def citizen_respondent_signed_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The signed and sealed agreement, the same bytes as the applicant's and those /m/verify/
    checks (404 before the seal)."""
    invitation = _invitation(token)
    document = signing.state_for(invitation.case, invitation.party).signed_document
    if document is None:
        raise Http404
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agreement-{document.sealed_on}.pdf"'
    return response


class CitizenDirectoryFilter(Schema):
    district: int | None = None
    street: int | None = None
    dispute_type: DisputeTypeCode = ""


@router.get(
    "/citizen/directory",
    auth=None,
    response={200: CitizenDirectoryOut, **ERRORS},
    operation_id="citizen_directory",
)
def citizen_directory(
    request: HttpRequest, filters: Query[CitizenDirectoryFilter]
) -> dict[str, Any]:
    """Committees by district and street, with brand rooms and studios, address, office
    phone and opening hours as published, and their mediators' public fields (name, grade,
    expertise). Filter by ``district`` and ``street`` (organisation ids) and ``dispute_type``
    (a code: committees with a mediator of that expertise)."""
    found = directory.build(
        district=filters.district, street=filters.street, dispute_type=filters.dispute_type[:40]
    )
    return {
        "districts": [{"id": pk, "name": name} for pk, name in found.districts],
        "streets": [{"id": pk, "name": name, "district_id": d} for pk, name, d in found.streets],
        "committees": [
            {
                **{
                    k: v
                    for k, v in c.__dict__.items()
                    if k not in {"hours", "mediators", "studios"}
                },
                "kind_name": c.kind,
                "hours": [h.__dict__ for h in c.hours],
                "mediators": [m.__dict__ for m in c.mediators],
                "studios": [st.__dict__ for st in c.studios],
            }
            for c in found.committees
        ],
    }
