"""The citizen API's operations that need no citizen token: the respondent's answers through
the texted link (the token in the path is the only credential; a wrong one answers 404), and
the directory by district. On the citizen router (``config/api.py`` imports this module)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Schema

from tiaojie.cases.choices import AgreementKind
from tiaojie.core.api import ERRORS, DisputeTypeCode
from tiaojie.core.errors import Conflict
from tiaojie.public import directory, selectors, services
from tiaojie.public.api_citizen import router
from tiaojie.public.error_codes import PublicErrorCode as E
from tiaojie.public.models import Invitation
from tiaojie.public.schemas_citizen import (
    CitizenDirectoryOut,
    CitizenRespondentIn,
    CitizenRespondentOut,
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
                **{k: v for k, v in c.__dict__.items() if k not in {"hours", "mediators"}},
                "kind_name": c.kind,
                "hours": [h.__dict__ for h in c.hours],
                "mediators": [m.__dict__ for m in c.mediators],
            }
            for c in found.committees
        ],
    }
