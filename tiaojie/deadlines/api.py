"""API of deadlines: the same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from ninja import Router

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Capability
from tiaojie.cases.rules import case_policy
from tiaojie.core.api import ERRORS, MAX_PAGE_SIZE, PAGE, PAGE_SIZE, caller
from tiaojie.deadlines import selectors
from tiaojie.deadlines.context import DeadlineContext
from tiaojie.deadlines.defaults import CONFIGURABLE_KINDS
from tiaojie.deadlines.models import CalendarYear, DayKind, DeadlineKind
from tiaojie.deadlines.schemas import (
    CalendarYearIn,
    CalendarYearOut,
    CalendarYearSummaryOut,
    CaseDeadlinesOut,
    DeadlinePageOut,
    OrganisationCountsOut,
    RuleIn,
    RuleOut,
)
from tiaojie.deadlines.services.calendar import FIRST_YEAR, LAST_YEAR, DayRow, calendar_year_save
from tiaojie.deadlines.services.rules import BUREAUS, deadline_rule_save

router = Router(tags=["Deadlines"])


def _nested(counts: dict[tuple[str, str], int]) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {}
    for (kind, level), n in counts.items():
        result.setdefault(kind, {})[level] = n
    return result


@router.get(
    "/deadlines",
    response={200: DeadlinePageOut, **ERRORS},
    operation_id="deadlines_list",
)
def deadlines_list(
    request: HttpRequest,
    kind: str = "",
    level: str = "",
    organisation: int | None = None,
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    """The caller's near-due and overdue deadlines, earliest due first (as the list page)."""
    actor = caller(request, Capability.CASE_CONTENT)
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
    result = selectors.deadline_items(
        actor,
        kind=kind,
        level=level,
        organisation=selectors.organisation_in_scope(actor, organisation),
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    return {
        "count": result.total,
        "page": page,
        "page_size": page_size,
        "counts": _nested(result.counts),
        "results": [
            {
                "case": {
                    "id": item.case.pk,
                    "number": item.case.number,
                    "summary": item.case.summary,
                    "status": item.case.status,
                    "committee_id": item.case.committee_id,
                    "committee_name": item.case.committee.name,
                },
                "kind": item.kind,
                "level": item.level,
                "due_on": item.due_on,
                "working_days": item.working_days,
                "provisional": item.provisional,
            }
            for item in result.items
        ],
    }


@router.get(
    "/deadlines/organisations",
    response={200: list[OrganisationCountsOut], **ERRORS},
    operation_id="deadlines_organisation_counts",
)
def deadlines_organisation_counts(request: HttpRequest) -> list[dict[str, Any]]:
    """Near-due and overdue counts per kind for each organisation one level below the caller's."""
    rows = selectors.organisation_counts(caller(request, Capability.CASE_CONTENT))
    return [
        {
            "organisation_id": row.organisation.pk,
            "organisation_name": row.organisation.name,
            "counts": _nested(row.counts),
            "total": row.total,
        }
        for row in rows
    ]


@router.get(
    "/deadlines/cases/{id:case_id}",
    response={200: CaseDeadlinesOut, **ERRORS},
    operation_id="deadlines_case",
)
def deadlines_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """The deadlines running on one case and its open alerts."""
    case = case_policy.get_or_404(
        caller(request, Capability.CASE_CONTENT), Capability.CASE_CONTENT, pk=case_id
    )
    ctx = DeadlineContext.build()
    return {
        "case_id": case.pk,
        "deadlines": [
            {
                "kind": d.kind,
                "due_on": d.due_on,
                "working_days": d.working_days,
                "level": d.level,
                "provisional": d.provisional,
            }
            for d in selectors.case_deadlines(case, ctx)
        ],
        "alerts": list(selectors.open_alerts(case)),
    }


def _bureau(request: HttpRequest) -> User:
    actor = caller(request, Capability.RULES_CONFIGURE)
    if actor.organisation.kind not in BUREAUS:
        raise PermissionDenied
    return actor


def _rule_out(row: selectors.RuleRow) -> dict[str, Any]:
    source = "own" if row.own else "inherited" if row.inherited_from else "default"
    return {
        "kind": row.kind,
        "value": row.rule.value,
        "unit": row.rule.unit,
        "near_due_days": row.rule.near_due_days,
        "source": source,
        "configurable": row.kind in CONFIGURABLE_KINDS,
        "version": row.own.version if row.own else None,
    }


@router.get(
    "/deadline-rules",
    response={200: list[RuleOut], **ERRORS},
    operation_id="deadline_rules_list",
)
def deadline_rules_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Each deadline in force for the caller's bureau and where it comes from."""
    return [_rule_out(row) for row in selectors.rule_rows(_bureau(request).organisation)]


@router.put(
    "/deadline-rules/{kind}",
    response={200: RuleOut, **ERRORS},
    operation_id="deadline_rules_update",
)
def deadline_rules_update(request: HttpRequest, kind: str, body: RuleIn) -> dict[str, Any]:
    """Set the caller's bureau's own rule for ``kind``; send the ``version`` you read."""
    actor = _bureau(request)
    if kind not in DeadlineKind.values:
        raise Http404
    deadline_rule_save(actor=actor, kind=kind, **body.dict())
    row = next(r for r in selectors.rule_rows(actor.organisation) if r.kind == kind)
    return _rule_out(row)


@router.get(
    "/calendar",
    response={200: list[CalendarYearSummaryOut], **ERRORS},
    operation_id="calendar_years_list",
)
def calendar_years_list(request: HttpRequest) -> Any:
    caller(request, Capability.RULES_CONFIGURE)
    return CalendarYear.objects.annotate(
        holidays=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
        workdays=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
    ).order_by("-year")


def _year_out(calendar: CalendarYear) -> dict[str, Any]:
    return {
        "year": calendar.year,
        "source": calendar.source,
        "version": calendar.version,
        "days": list(calendar.days.order_by("day").values("day", "kind", "name")),
    }


@router.get(
    "/calendar/{id:year}",
    response={200: CalendarYearOut, **ERRORS},
    operation_id="calendar_years_read",
)
def calendar_years_read(request: HttpRequest, year: int) -> dict[str, Any]:
    caller(request, Capability.RULES_CONFIGURE)
    calendar = CalendarYear.objects.filter(year=year).first()
    if calendar is None:
        raise Http404
    return _year_out(calendar)


@router.put(
    "/calendar/{id:year}",
    response={200: CalendarYearOut, **ERRORS},
    operation_id="calendar_years_update",
)
def calendar_years_update(request: HttpRequest, year: int, body: CalendarYearIn) -> dict[str, Any]:
    """Replace the year's table; every row is checked first and nothing changes on error.
    Send the ``version`` you read to replace an existing year (409 if stale)."""
    actor = caller(request, Capability.RULES_CONFIGURE)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    calendar = calendar_year_save(
        actor=actor,
        year=year,
        source=body.source,
        rows=[DayRow(d.day, d.kind, d.name) for d in body.days],
        version=body.version,
    )
    return _year_out(calendar)
