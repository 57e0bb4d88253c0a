"""The records kept on a case, listed and read through the API (issue 9, item 11): sessions,
investigations, follow-ups, confirmations, attachments and mediators. Each is scoped like the
case (a case outside the caller's scope, or a record of another case, is 404 alike), and a
record's id is what ``GET /cases/{id}/documents/{kind}?record=`` needs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tiaojie.accounts.roles import Capability
from tiaojie.cases.api import router
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy
from tiaojie.cases.schemas_records import (
    AttachmentOut,
    CaseMediatorOut,
    ConfirmationOut,
    FollowUpOut,
    InvestigationOut,
    SessionOut,
)
from tiaojie.core.api import ERRORS, caller

# On the cases router: GET and POST of one path must be one route (``config/api.py`` imports
# this module).


def case_for(request: HttpRequest, case_id: int) -> Case:
    """The case, if the caller may read its contents; 404 alike if absent or not theirs."""
    return case_policy.get_or_404(caller(request), Capability.CASE_CONTENT, pk=case_id)


def _one(records: QuerySet[Any], record_id: int) -> Any:
    return get_object_or_404(records, pk=record_id)


# --- Sessions and investigations ---------------------------------------------------------------


@router.get(
    "/cases/{id:case_id}/sessions",
    response={200: list[SessionOut], **ERRORS},
    operation_id="sessions_list",
)
def sessions_list(request: HttpRequest, case_id: int) -> Any:
    """The case's mediation sessions (调解记录), oldest first."""
    return case_for(request, case_id).sessions.all()


@router.get(
    "/cases/{id:case_id}/sessions/{id:session_id}",
    response={200: SessionOut, **ERRORS},
    operation_id="sessions_read",
)
def sessions_read(request: HttpRequest, case_id: int, session_id: int) -> Any:
    return _one(case_for(request, case_id).sessions.all(), session_id)


@router.get(
    "/cases/{id:case_id}/investigations",
    response={200: list[InvestigationOut], **ERRORS},
    operation_id="investigations_list",
)
def investigations_list(request: HttpRequest, case_id: int) -> Any:
    """The case's investigation records (调查记录), oldest first."""
    return case_for(request, case_id).investigations.all()


@router.get(
    "/cases/{id:case_id}/investigations/{id:investigation_id}",
    response={200: InvestigationOut, **ERRORS},
    operation_id="investigations_read",
)
def investigations_read(request: HttpRequest, case_id: int, investigation_id: int) -> Any:
    return _one(case_for(request, case_id).investigations.all(), investigation_id)


# --- Aftercare ---------------------------------------------------------------------------------


def _follow_up(row: Any) -> dict[str, Any]:
    fields = ("id", "visited_on", "method", "party_visited", "performance", "satisfaction")
    return {
        **{name: getattr(row, name) for name in fields},
        "escalation_risk": row.escalation_risk,
        "notes": row.notes,
        "visitor_name": row.visitor.full_name,
    }


@router.get(
    "/cases/{id:case_id}/follow-ups",
    response={200: list[FollowUpOut], **ERRORS},
    operation_id="follow_ups_list",
)
def follow_ups_list(request: HttpRequest, case_id: int) -> Any:
    """The case's follow-up visits (回访记录), oldest first."""
    rows = case_for(request, case_id).follow_ups.select_related("visitor")
    return [_follow_up(row) for row in rows]


@router.get(
    "/cases/{id:case_id}/follow-ups/{id:follow_up_id}",
    response={200: FollowUpOut, **ERRORS},
    operation_id="follow_ups_read",
)
def follow_ups_read(request: HttpRequest, case_id: int, follow_up_id: int) -> Any:
    rows = case_for(request, case_id).follow_ups.select_related("visitor")
    return _follow_up(_one(rows, follow_up_id))


@router.get(
    "/cases/{id:case_id}/confirmations",
    response={200: list[ConfirmationOut], **ERRORS},
    operation_id="confirmations_list",
)
def confirmations_list(request: HttpRequest, case_id: int) -> Any:
    """Applications for judicial confirmation (司法确认) and the court's rulings, oldest first."""
    return case_for(request, case_id).confirmations.all()


@router.get(
    "/cases/{id:case_id}/confirmations/{id:confirmation_id}",
    response={200: ConfirmationOut, **ERRORS},
    operation_id="confirmations_read",
)
def confirmations_read(request: HttpRequest, case_id: int, confirmation_id: int) -> Any:
    return _one(case_for(request, case_id).confirmations.all(), confirmation_id)


# --- Attachments and mediators -----------------------------------------------------------------


def attachment_out(row: Any) -> dict[str, Any]:
    fields = ("id", "kind", "title", "original_name", "content_type", "size", "sha256")
    return {
        **{name: getattr(row, name) for name in fields},
        "uploaded_by_name": row.uploaded_by.full_name,
        "uploaded_at": row.uploaded_at,
    }


@router.get(
    "/cases/{id:case_id}/attachments",
    response={200: list[AttachmentOut], **ERRORS},
    operation_id="attachments_list",
)
def attachments_list(request: HttpRequest, case_id: int) -> Any:
    """The files kept with the case (what they are, not their content), oldest first."""
    rows = case_for(request, case_id).attachments.select_related("uploaded_by")
    return [attachment_out(row) for row in rows]


@router.get(
    "/cases/{id:case_id}/attachments/{id:attachment_id}",
    response={200: AttachmentOut, **ERRORS},
    operation_id="attachments_read",
)
def attachments_read(request: HttpRequest, case_id: int, attachment_id: int) -> Any:
    rows = case_for(request, case_id).attachments.select_related("uploaded_by")
    return attachment_out(_one(rows, attachment_id))


def mediator_out(row: Any) -> dict[str, Any]:
    fields = ("id", "mediator_id", "is_presiding", "chosen_by_parties", "assigned_at")
    return {
        **{name: getattr(row, name) for name in fields},
        "full_name": row.mediator.full_name,
        "withdrawn_at": row.withdrawn_at,
        "withdrawal_reason": row.withdrawal_reason,
    }


@router.get(
    "/cases/{id:case_id}/mediators",
    response={200: list[CaseMediatorOut], **ERRORS},
    operation_id="case_mediators_list",
)
def case_mediators_list(request: HttpRequest, case_id: int) -> Any:
    """Every assignment of a mediator to the case, the withdrawn ones too (``withdrawn_at``)."""
    rows = case_for(request, case_id).mediators.select_related("mediator")
    return [mediator_out(row) for row in rows.order_by("assigned_at", "id")]


@router.get(
    "/cases/{id:case_id}/mediators/{id:assignment_id}",
    response={200: CaseMediatorOut, **ERRORS},
    operation_id="case_mediators_read",
)
def case_mediators_read(request: HttpRequest, case_id: int, assignment_id: int) -> Any:
    rows = case_for(request, case_id).mediators.select_related("mediator")
    return mediator_out(_one(rows, assignment_id))
