"""The per-case subsidy over the API: the bureau's rule versions, the month's sheets, one
sheet with its cases and mediators, computing a draft and the approval steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.core.api import ERRORS, PAGE, PAGE_SIZE, Page, caller, paginate
from tiaojie.core.errors import ValidationFailed
from tiaojie.organisations.models import Organisation
from tiaojie.subsidies import selectors
from tiaojie.subsidies.error_codes import SubsidiesErrorCode as E
from tiaojie.subsidies.models import SubsidyRuleSet, SubsidySheet
from tiaojie.subsidies.presenters import basis_text, exclusion_text
from tiaojie.subsidies.schemas import (
    AreaMediatorOut,
    RuleSetIn,
    RuleSetOut,
    SheetComputeIn,
    SheetTransitionIn,
    SubsidySheetOut,
    SubsidySheetSummaryOut,
)
from tiaojie.subsidies.services import approval, rulesets, sheets
from tiaojie.subsidies.services.rulesets import Amount, Band, RuleSetData

router = Router(tags=["Subsidies"])


def _month(value: str) -> dt.date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return dt.date(year, month, 1)
    except ValueError as exc:
        message = _("Enter a month as YYYY-MM.")
        raise ValidationFailed(E.INVALID, message, fields={"month": [message]}) from exc


def _rule_set(rule_set: SubsidyRuleSet) -> dict[str, Any]:
    return {
        **{
            name: getattr(rule_set, name)
            for name in (
                "id",
                "bureau_id",
                "name",
                "valid_from",
                "require_registered",
                "require_success",
                "require_performed",
                "count_oral",
                "carry_over",
                "archive_rule",
                "recipient",
                "complex_tier",
                "group_tier",
                "version",
            )
        },
        "bands": list(rule_set.bands.values("dimension", "tier", "lower", "upper")),
        "amounts": list(rule_set.amounts.values("committee_kind", "tier", "amount")),
    }


def _summary(sheet: SubsidySheet) -> dict[str, Any]:
    return {
        "id": sheet.pk,
        "committee_id": sheet.committee_id,
        "committee_name": sheet.committee.name,
        "month": f"{sheet.month:%Y-%m}",
        "status": sheet.status,
        "total": sheet.total,
        "counted": sheet.counted,
        "excluded": sheet.excluded,
        "stale": sheet.stale,
        "version": sheet.version,
    }


def _sheet(sheet: SubsidySheet, user: User) -> dict[str, Any]:
    lines = sheet.lines.prefetch_related("shares__mediator")
    return {
        **_summary(sheet),
        "rule_set_id": sheet.rule_set_id,
        "paid_on": sheet.paid_on,
        "lines": [
            {
                "case_id": line.case_id,
                "case_number": line.case_number,
                "closed_on": line.closed_on,
                "tier": line.tier,
                "basis": line.basis,
                "why": exclusion_text(line) or basis_text(line),
                "amount": line.amount,
                "exclusion": line.exclusion or None,
                "carried_from": line.carried_from,
                "carry_note": line.carry_note,
                "shares": [
                    {
                        "mediator_id": s.mediator_id,
                        "mediator_name": s.mediator.full_name,
                        "amount": s.amount,
                    }
                    for s in line.shares.all()
                ],
            }
            for line in lines
        ],
        "mediators": [
            {
                "mediator_id": row["mediator_id"],
                "mediator_name": row["mediator__full_name"],
                "cases": row["cases"],
                "total": row["total"],
            }
            for row in selectors.mediator_totals(sheet)
        ],
        "allowed_actions": approval.allowed_actions(sheet, user),
    }


def _data(body: RuleSetIn) -> RuleSetData:
    return RuleSetData(
        name=body.name,
        valid_from=body.valid_from,
        bands=[Band(b.dimension, b.tier, b.lower, b.upper) for b in body.bands],
        amounts=[Amount(a.committee_kind, a.tier, a.amount) for a in body.amounts],
        require_registered=body.require_registered,
        require_success=body.require_success,
        require_performed=body.require_performed,
        count_oral=body.count_oral,
        carry_over=body.carry_over,
        archive_rule=body.archive_rule,
        recipient=body.recipient,
        complex_tier=body.complex_tier,
        group_tier=body.group_tier,
    )


@router.get(
    "/subsidies/rule-sets",
    response={200: Page[RuleSetOut], **ERRORS},
    operation_id="subsidy_rule_sets_list",
)
def rule_sets_list(
    request: HttpRequest, page: int = PAGE, page_size: int = PAGE_SIZE
) -> dict[str, Any]:
    """The rule versions of the caller's bureau and those above it, newest first."""
    user = caller(request, Capability.SUBSIDY_VIEW)
    result = paginate(selectors.rule_sets_for(user), page, page_size)
    result["results"] = [_rule_set(r) for r in result["results"]]
    return result


@router.get(
    "/subsidies/rule-sets/{id:rule_set_id}",
    response={200: RuleSetOut, **ERRORS},
    operation_id="subsidy_rule_sets_read",
)
def rule_sets_read(request: HttpRequest, rule_set_id: int) -> dict[str, Any]:
    user = caller(request)
    if not user.can(Capability.SUBSIDY_VIEW):
        raise Http404
    return _rule_set(selectors.rule_set_or_404(user, rule_set_id))


@router.post(
    "/subsidies/rule-sets",
    response={201: RuleSetOut, **ERRORS},
    operation_id="subsidy_rule_sets_create",
)
def rule_sets_create(request: HttpRequest, body: RuleSetIn) -> Status[dict[str, Any]]:
    """A new version of a bureau's rules (the caller's bureau, or one below it)."""
    user = caller(request, Capability.SUBSIDY_CONFIGURE)
    bureau: Organisation | None = user.organisation
    if body.bureau_id is not None:
        bureau = Organisation.objects.filter(
            pk=body.bureau_id, path__startswith=user.organisation.path
        ).first()
    if bureau is None:
        raise Http404
    rule_set = rulesets.rule_set_create(actor=user, bureau=bureau, data=_data(body))
    return Status(201, _rule_set(rule_set))


@router.put(
    "/subsidies/rule-sets/{id:rule_set_id}",
    response={200: RuleSetOut, **ERRORS},
    operation_id="subsidy_rule_sets_update",
)
def rule_sets_update(request: HttpRequest, rule_set_id: int, body: RuleSetIn) -> dict[str, Any]:
    """Correct a version no submitted sheet was computed with."""
    user = caller(request, Capability.SUBSIDY_CONFIGURE)
    rule_set = selectors.rule_set_or_404(user, rule_set_id)
    if not rule_set.bureau_path.startswith(user.organisation.path):
        raise PermissionDenied  # a bureau above's version: read, not changed, from here
    updated = rulesets.rule_set_update(
        actor=user, rule_set=rule_set, data=_data(body), version=body.version
    )
    return _rule_set(updated)


@router.get(
    "/subsidies/sheets",
    response={200: Page[SubsidySheetSummaryOut], **ERRORS},
    operation_id="subsidy_sheets_list",
)
def sheets_list(
    request: HttpRequest, month: str = "", page: int = PAGE, page_size: int = PAGE_SIZE
) -> dict[str, Any]:
    """The sheets of the caller's area (``month``: YYYY-MM, default every month)."""
    user = caller(request, Capability.SUBSIDY_VIEW)
    chosen = _month(month) if month else None
    result = paginate(selectors.sheets_for(user, chosen), page, page_size)
    result["results"] = [_summary(s) for s in result["results"]]
    return result


@router.get(
    "/subsidies/mediators",
    response={200: list[AreaMediatorOut], **ERRORS},
    operation_id="subsidy_mediators_list",
)
def mediators_list(request: HttpRequest, month: str = "") -> list[dict[str, Any]]:
    """The month's subsidy per mediator over every sheet of the caller's area (``month``:
    YYYY-MM, default last month), highest first."""
    user = caller(request, Capability.SUBSIDY_VIEW)
    chosen = _month(month) if month else sheets.previous_month(timezone.localdate())
    return [
        {
            "mediator_id": row["mediator_id"],
            "mediator_name": row["mediator__full_name"],
            "committee_name": row["mediator__organisation__name"],
            "cases": row["cases"],
            "total": row["total"],
        }
        for row in selectors.area_mediator_totals(user, chosen)
    ]


@router.get(
    "/subsidies/sheets/{id:sheet_id}",
    response={200: SubsidySheetOut, **ERRORS},
    operation_id="subsidy_sheets_read",
)
def sheets_read(request: HttpRequest, sheet_id: int) -> dict[str, Any]:
    """One sheet: every case that ended in the month with its tier, why, the amount and who is
    paid, or why it was excluded; the totals per mediator; the steps the caller may take."""
    user = caller(request)
    if not user.can(Capability.SUBSIDY_VIEW):
        raise Http404
    return _sheet(selectors.sheet_or_404(user, sheet_id), user)


@router.post(
    "/subsidies/sheets",
    response={200: SubsidySheetOut, **ERRORS},
    operation_id="subsidy_sheets_compute",
)
def sheets_compute(request: HttpRequest, body: SheetComputeIn) -> dict[str, Any]:
    """Compute (again) the caller's committee's draft sheet of ``month``."""
    user = caller(request, Capability.SUBSIDY_PREPARE)
    if body.committee_id not in (None, user.organisation_id):
        raise Http404
    sheet = sheets.sheet_compute(
        actor=user, committee=user.organisation, month=_month(body.month), version=body.version
    )
    return _sheet(sheet, user)


@router.post(
    "/subsidies/sheets/{id:sheet_id}/transitions",
    response={200: SubsidySheetOut, **ERRORS},
    operation_id="subsidy_sheets_transition",
)
def sheets_transition(
    request: HttpRequest, sheet_id: int, body: SheetTransitionIn
) -> dict[str, Any]:
    """``submit`` (the committee's director), ``office_approve`` (the justice office above),
    ``bureau_approve`` and ``pay`` (the bureau), ``return`` (with a ``reason``)."""
    user = caller(request)
    if not user.can(Capability.SUBSIDY_VIEW):
        raise Http404
    sheet = selectors.sheet_or_404(user, sheet_id)
    moved = approval.sheet_transition(
        actor=user, sheet=sheet, action=body.action, reason=body.reason, version=body.version
    )
    return _sheet(moved, user)
