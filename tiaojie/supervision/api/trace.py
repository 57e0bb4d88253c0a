"""The accountability trace and reports over the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability, Role
from tiaojie.core.api import ERRORS, caller
from tiaojie.core.errors import ValidationFailed
from tiaojie.supervision import months, selectors
from tiaojie.supervision.api.common import (
    router,
)
from tiaojie.supervision.error_codes import SupervisionErrorCode as E
from tiaojie.supervision.rules import may_see_reports
from tiaojie.supervision.schemas import (
    StepOut,
    TraceReportOut,
)
from tiaojie.supervision.trace import case_trace


def _step(step: Any) -> dict[str, Any]:
    return {
        "kind": step.kind,
        "status": step.status,
        "label": step.label,
        "organisation": {"id": step.organisation_id, "name": step.organisation}
        if step.organisation_id
        else None,
        "persons": [{"id": p.id, "name": p.name} for p in step.persons],
        **{
            name: getattr(step, name)
            for name in (
                "start",
                "end",
                "calendar_days",
                "working_days",
                "deadline",
                "missed",
                "days_late",
                "supervision_id",
            )
        },
    }


@router.get(
    "/cases/{id:case_id}/trace",
    response={200: list[StepOut], **ERRORS},
    operation_id="case_trace_read",
)
def case_trace_read(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """Who held the case at each step, for how long, and which deadlines were missed."""
    user = caller(request)
    case = selectors.traced_case_or_404(user, case_id)
    if user.role == Role.GRID_WORKER:
        raise PermissionDenied  # who held the case and missed what is for the staff
    return [_step(s) for s in case_trace(case)]


def _report(
    request: HttpRequest,
    org_id: int | None,
    mediator_id: int | None,
    start: dt.date | None,
    end: dt.date | None,
) -> dict[str, Any]:
    user = caller(request)
    if not (user.can(Capability.CASE_CONTENT) and may_see_reports(user)):
        raise PermissionDenied
    today = timezone.localdate()
    first, last = start or months.first_of(today), end or today
    if last < first:
        message = _("The end lies before the start.")
        raise ValidationFailed(E.INVALID, message, fields={"end": [message]})
    subject, report = selectors.trace_report_for(user, org_id, mediator_id, first, last)
    return {
        "subject": getattr(subject, "full_name", "") or getattr(subject, "name", ""),
        "start": report.start,
        "end": report.end,
        "steps": report.steps,
        "missed": report.missed,
        "truncated": report.truncated,
        "rows": [
            {
                "kind": r.kind,
                "steps": r.steps,
                "median_days": r.median_days,
                "max_days": r.max_days,
                "missed": r.missed,
            }
            for r in report.rows
        ],
        "cases": [
            {"case_id": c.case.pk, "number": c.case.number, "kinds": [s.kind for s in c.steps]}
            for c in report.cases
        ],
    }


@router.get(
    "/trace/mediators/{id:mediator_id}",
    response={200: TraceReportOut, **ERRORS},
    operation_id="trace_mediator_report",
)
def trace_mediator_report(
    request: HttpRequest,
    mediator_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[str, Any]:
    """Steps a mediator held in the period (this month by default), by kind."""
    return _report(request, None, mediator_id, start, end)


@router.get(
    "/trace/organisations/{id:organisation_id}",
    response={200: TraceReportOut, **ERRORS},
    operation_id="trace_committee_report",
)
def trace_committee_report(
    request: HttpRequest,
    organisation_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[str, Any]:
    """Steps held by a committee (or everything below an office or bureau) in the period."""
    return _report(request, organisation_id, None, start, end)
