"""The ledger over the API: rows, close-out, reopening, carry-over."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Status

from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import DisputeType
from tiaojie.core.api import ERRORS, PAGE, PAGE_SIZE, caller, paginate
from tiaojie.core.errors import ValidationFailed
from tiaojie.supervision import exports, ledger, months, selectors
from tiaojie.supervision.api.common import (
    org_ref,
    parse_month,
    require,
    router,
)
from tiaojie.supervision.choices import LedgerShow
from tiaojie.supervision.error_codes import SupervisionErrorCode as E
from tiaojie.supervision.models import LedgerPeriod
from tiaojie.supervision.rules import LEDGER_KINDS
from tiaojie.supervision.schemas import (
    CarryOverIn,
    CloseOutIn,
    CloseOutOut,
    LedgerOut,
    LedgerPeriodOut,
    ReasonIn,
    ReopenedOut,
)
from tiaojie.supervision.services import ledger as ledger_services


def _item(case: Any) -> dict[str, Any]:
    item = ledger.close_out_of(case)
    sup = (getattr(case, "open_supervisions", None) or [None])[0]
    return {
        "id": case.pk,
        "number": case.number,
        "registered_at": case.registered_at,
        "dispute_type": case.dispute_type.code,
        "parties": exports.parties(case),
        "summary": case.summary,
        "committee": org_ref(case.committee),
        "responsible": exports.responsible(case),
        "time_limit": exports.time_limit(case),
        "status": case.status,
        "supervision_id": sup.pk if sup else None,
        "supervision_deadline": sup.deadline if sup else None,
        "closed_on": item.closed_on if item else None,
        "close_out_reason": item.reason if item else "",
    }


@router.get("/ledger", response={200: LedgerOut, **ERRORS}, operation_id="ledger_list")
def ledger_list(
    request: HttpRequest,
    organisation_id: int | None = None,
    month: str = "",
    show: str = LedgerShow.OPEN,
    dispute_type: str = "",
    overdue: bool = False,
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    """An organisation's ledger for a month (this month, the caller's organisation by default):
    ``show`` open items, those ``closed`` out in the month, or ``all`` of the month's."""
    user = caller(request)
    require(user, Capability.CASE_CONTENT)
    if user.organisation.kind not in LEDGER_KINDS:
        raise PermissionDenied  # a grid keeps no ledger
    org = selectors.ledger_organisation(user, organisation_id)
    chosen = parse_month(month) if month else months.first_of(timezone.localdate())
    type_id = None
    if dispute_type:
        found = DisputeType.objects.filter(code=dispute_type).first()
        if found is None:
            message = _("Unknown dispute type %(code)s.") % {"code": dispute_type}
            raise ValidationFailed(E.INVALID, message, fields={"dispute_type": [message]})
        type_id = found.pk
    query = selectors.LedgerQuery(
        org=org,
        month=chosen,
        show=show if show in LedgerShow.values else LedgerShow.OPEN,
        dispute_type=type_id,
        overdue=overdue,
    )
    period, figures, rows = selectors.ledger_figures(query)
    result = paginate(selectors.ledger_cases(user, query), page, page_size, count=rows)
    return {
        **result,
        "results": [_item(c) for c in result["results"]],
        "organisation": org_ref(org),
        "month": f"{chosen:%Y-%m}",
        "frozen": period is not None,
        "figures": {
            name: getattr(figures, name)
            for name in ("carried_in", "new", "closed_out", "carried_out")
        },
    }


@router.post(
    "/cases/{id:case_id}/close-out",
    response={201: CloseOutOut, **ERRORS},
    operation_id="ledger_close_out",
)
def ledger_close_out(
    request: HttpRequest, case_id: int, body: CloseOutIn
) -> Status[dict[str, Any]]:
    """Take an ended case off the ledger with the reason (directors: their committee's cases;
    officers: their subtree's). An agreed case needs its performance known first (409)."""
    user = caller(request)
    require(user, Capability.LEDGER_CLOSE)
    case = selectors.case_or_404(user, case_id)
    item = ledger_services.close_out(actor=user, case=case, **body.dict())
    return Status(201, _close_out(item))


def _close_out(item: Any) -> dict[str, Any]:
    return {
        "case_id": item.case_id,
        "closed_on": item.closed_on,
        "reason": item.reason,
        "note": item.note,
        "closed_by": item.closed_by.full_name,
        "at": item.at,
    }


@router.post(
    "/cases/{id:case_id}/close-out/reopen",
    response={200: ReopenedOut, **ERRORS},
    operation_id="ledger_reopen",
)
def ledger_reopen(request: HttpRequest, case_id: int, body: ReasonIn) -> dict[str, Any]:
    """Put an item closed out by mistake back on the ledger, saying why."""
    user = caller(request)
    require(user, Capability.LEDGER_CLOSE)
    case = selectors.case_or_404(user, case_id)
    ledger_services.close_out_reopen(actor=user, case=case, reason=body.reason)
    return {"case_id": case.pk, "on_ledger": True}


def _period(period: LedgerPeriod) -> dict[str, Any]:
    return {
        "organisation": org_ref(period.organisation),
        "month": f"{period.month:%Y-%m}",
        "carried_in": period.carried_in,
        "new": period.new,
        "closed_out": period.closed_out,
        "carried_out": period.carried_out,
        "closed_at": period.closed_at,
        "closed_by": period.closed_by.full_name if period.closed_by else "",
    }


@router.post(
    "/ledger/carry-over",
    response={201: LedgerPeriodOut, **ERRORS},
    operation_id="ledger_carry_over",
)
def ledger_carry_over(request: HttpRequest, body: CarryOverIn) -> Status[dict[str, Any]]:
    """Freeze a finished month of an organisation's ledger; a second time is 409."""
    user = caller(request)
    require(user, Capability.LEDGER_CLOSE)
    org = selectors.ledger_organisation(user, body.organisation_id)
    period = ledger_services.carry_over(actor=user, organisation=org, month=parse_month(body.month))
    return Status(201, _period(period))


@router.get(
    "/ledger/periods",
    response={200: list[LedgerPeriodOut], **ERRORS},
    operation_id="ledger_periods_list",
)
def ledger_periods_list(
    request: HttpRequest, organisation_id: int | None = None
) -> list[dict[str, Any]]:
    """The months carried over of an organisation's ledger, newest first."""
    user = caller(request)
    require(user, Capability.CASE_CONTENT)
    if user.organisation.kind not in LEDGER_KINDS:
        raise PermissionDenied
    org = selectors.ledger_organisation(user, organisation_id)
    return [_period(p) for p in selectors.periods_for(user, org).select_related("organisation")]
