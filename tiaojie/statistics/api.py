"""API of statistics: the same report and drill-down as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from tiaojie.accounts.roles import Capability
from tiaojie.core.api import ERRORS, PAGE, PAGE_SIZE, caller, paginate
from tiaojie.statistics import dashboard, periods, report, selectors
from tiaojie.statistics.choices import Indicator
from tiaojie.statistics.schemas import FigureCasesOut, ReportOut, StatisticsScreenOut

router = Router(tags=["Statistics"])


def _scope(request: HttpRequest, organisation_id: int | None, period: str) -> Any:
    user = caller(request, Capability.CASE_CONTENT)
    if not selectors.may_see_statistics(user):
        raise PermissionDenied
    org = selectors.report_organisation_or_404(user, organisation_id)
    chosen = periods.parse(period) if period else periods.month_of(timezone.localdate())
    return user, org, chosen


def _row(row: report.Row, columns: list[report.Column]) -> dict[str, Any]:
    org = row.organisation
    return {
        "organisation": {"id": org.pk, "name": org.name} if org is not None else None,
        "label": row.label,
        # A rate with nothing to divide by is null, as the page's "—": 0 would read as
        # "every mediation failed" (``Row.undefined``).
        "values": {c.code: None if row.undefined(c) else float(row.value(c)) for c in columns},
    }


@router.get(
    "/statistics/report", response={200: ReportOut, **ERRORS}, operation_id="statistics_report"
)
def statistics_report(
    request: HttpRequest, organisation_id: int | None = None, period: str = ""
) -> dict[str, Any]:
    """An organisation's report (the caller's own by default) for a month, quarter or year
    (this month by default): one row per child organisation, and the total."""
    _user, org, chosen = _scope(request, organisation_id, period)
    built = report.build(org, chosen)
    return {
        "organisation": {"id": org.pk, "name": org.name},
        "period": chosen.code,
        "label": chosen.label,
        "columns": [{"code": c.code, "header": c.header, "group": c.group} for c in built.columns],
        "rows": [_row(r, built.columns) for r in built.rows],
        "total": _row(built.total, built.columns),
    }


@router.get(
    "/statistics/cases",
    response={200: FigureCasesOut, **ERRORS},
    operation_id="statistics_figure_cases",
)
def statistics_figure_cases(
    request: HttpRequest,
    organisation_id: int | None = None,
    period: str = "",
    indicator: str = Indicator.MEDIATED,
    key: str = "",
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    """The cases behind one figure of the report (``indicator`` and breakdown ``key``, as in
    the column codes), those the caller may read."""
    user, org, chosen = _scope(request, organisation_id, period)
    cases = selectors.figure_cases(user, org, chosen, indicator, key)
    result = paginate(cases, page, page_size)
    result["results"] = [
        {
            "id": c.pk,
            "number": c.number,
            "summary": c.summary,
            "committee": {"id": c.committee_id, "name": c.committee.name},
            "status": c.status,
            "registered_at": c.registered_at,
        }
        for c in result["results"]
    ]
    return result


@router.get(
    "/statistics/screen",
    response={200: StatisticsScreenOut, **ERRORS},
    operation_id="statistics_screen",
)
def statistics_screen(
    request: HttpRequest, organisation_id: int | None = None, period: str = ""
) -> dict[str, Any]:
    """What the command-centre screen shows (this year by default): the live counts of the
    caller's visible cases in the subtree and the period's figures, read now; a wall polls it."""
    user, org, chosen = _scope(request, organisation_id, period or str(timezone.localdate().year))
    return dashboard.screen(org, chosen, user)
