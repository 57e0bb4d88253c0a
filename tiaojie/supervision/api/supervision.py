"""Supervised cases over the API: list, read, flag, transitions."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Status

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.core.api import ERRORS, PAGE, PAGE_SIZE, Page, caller, paginate
from tiaojie.supervision import selectors
from tiaojie.supervision.api.common import (
    org_ref,
    require,
    router,
)
from tiaojie.supervision.models import Supervision
from tiaojie.supervision.rules import LEDGER_KINDS
from tiaojie.supervision.schemas import (
    SupervisionIn,
    SupervisionOut,
    SupervisionSummaryOut,
    SupervisionTransitionIn,
)
from tiaojie.supervision.services import supervision as services


def _summary(sup: Supervision) -> dict[str, Any]:
    return {
        "id": sup.pk,
        "case_id": sup.case_id,
        "case_number": sup.case.number,
        "committee": org_ref(sup.case.committee),
        "supervising_org": org_ref(sup.supervising_org),
        "deadline": sup.deadline,
        "status": sup.status,
        "level": sup.level,
        "overdue": sup.is_open and sup.deadline < timezone.localdate(),
    }


def _supervision(sup: Supervision, user: User) -> dict[str, Any]:
    return {
        **_summary(sup),
        "opened_by": sup.opened_by.full_name if sup.opened_by else "",
        "opened_at": sup.opened_at,
        "instructions": sup.instructions,
        "outcome": sup.outcome,
        "parent_id": sup.parent_id,
        "version": sup.version,
        "reports": [
            {
                "action": r.action,
                "author": r.actor.full_name if r.actor else "",
                "at": r.at,
                "progress": r.reason,
            }
            for r in sup.reports.select_related("actor")
        ],
        "allowed_actions": [str(a) for a in services.allowed_actions(sup, user)],
    }


@router.get(
    "/supervisions",
    response={200: Page[SupervisionSummaryOut], **ERRORS},
    operation_id="supervisions_list",
)
def supervisions_list(
    request: HttpRequest,
    state: Literal["open", "overdue", "all"] = "open",
    scope: Literal["area", "ours"] = "area",
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    """Supervised cases the caller may read, the same set ``GET /supervisions/{id}`` serves:
    for an officer every supervision on their area's cases, whoever opened it (``scope=ours``:
    only those opened by their organisation or below); committee staff those of their cases.
    ``state``: open (default), overdue or all."""
    user = caller(request)
    require(user, Capability.CASE_CONTENT)
    if user.organisation.kind not in LEDGER_KINDS:
        raise PermissionDenied
    result = paginate(selectors.supervisions_for(user, state=state, scope=scope), page, page_size)
    result["results"] = [_summary(s) for s in result["results"]]
    return result


@router.get(
    "/supervisions/{id:supervision_id}",
    response={200: SupervisionOut, **ERRORS},
    operation_id="supervisions_read",
)
def supervisions_read(request: HttpRequest, supervision_id: int) -> dict[str, Any]:
    user = caller(request)
    return _supervision(selectors.supervision_or_404(user, supervision_id), user)


@router.post(
    "/cases/{id:case_id}/supervisions",
    response={201: SupervisionOut, **ERRORS},
    operation_id="supervisions_create",
)
def supervisions_create(
    request: HttpRequest, case_id: int, body: SupervisionIn
) -> Status[dict[str, Any]]:
    """Flag a case of a committee below the caller's organisation, with instructions and a
    deadline (a future working day; the rules' default if left out)."""
    user = caller(request)
    require(user, Capability.CASE_SUPERVISE)
    case = selectors.case_or_404(user, case_id)
    sup = services.supervision_open(
        actor=user,
        case=case,
        deadline=body.deadline or services.default_deadline(user.organisation),
        instructions=body.instructions,
    )
    return Status(201, _supervision(sup, user))


@router.post(
    "/supervisions/{id:supervision_id}/transitions",
    response={200: SupervisionOut, **ERRORS},
    operation_id="supervisions_transition",
)
def supervisions_transition(
    request: HttpRequest, supervision_id: int, body: SupervisionTransitionIn
) -> dict[str, Any]:
    """``report`` (the committee: progress in ``reason``), ``extend`` (the supervisor: a later
    ``deadline`` and ``reason``), ``close`` (``outcome``) or ``escalate`` (``reason``)."""
    user = caller(request)
    sup = selectors.supervision_or_404(user, supervision_id)
    data = body.dict(include={"deadline", "outcome"}, exclude_none=True)
    sup = services.supervision_transition(
        actor=user,
        supervision=sup,
        action=body.action,
        reason=body.reason,
        data=data,
        version=body.version,
    )
    return _supervision(selectors.supervision_or_404(user, sup.pk), user)
