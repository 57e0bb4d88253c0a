"""Pages of statistics: the report of an organisation for a period, its exports, and the
cases behind each figure. Thin: the figures come from ``report``, the scope from ``selectors``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from tiaojie.accounts.roles import Capability
from tiaojie.core import xlsx
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.types import AuthedRequest
from tiaojie.statistics import exports, historical, periods, report, selectors
from tiaojie.statistics.choices import Indicator

PAGE_SIZE = 50


def _choice(request: AuthedRequest) -> tuple[Any, periods.Period, str]:
    """The organisation (404 if not the viewer's), the period and the error of the period field."""
    user = request.user
    if not selectors.may_see_statistics(user):
        raise PermissionDenied
    raw = request.GET.get("organisation", "")
    org = selectors.report_organisation_or_404(user, int(raw) if raw.isdigit() else None)
    error = ""
    period = periods.month_of(timezone.localdate())
    if request.GET.get("period"):
        try:
            period = periods.parse(request.GET["period"])
        except DomainError as exc:
            error = exc.message
    return org, period, error


def _href(org_id: int, period: str, column: report.Column) -> str | None:
    indicator, key = column.address
    if column.is_rate or indicator not in selectors.DRILLABLE:
        return None
    query = {"organisation": org_id, "period": period, "indicator": indicator}
    if key:
        query["key"] = key
    return f"{reverse('statistics:figure_cases')}?{urlencode(query)}"


def _table(built: report.Report) -> list[dict[str, Any]]:
    """Each row's label and cells (value, link), for the template."""
    code = built.period.code
    out = []
    for row in [*built.rows, built.total]:
        org = row.organisation or built.organisation
        # The organisation's own row beside its children counts only what sits on it directly,
        # while the list of cases covers its whole subtree: no link there.
        partial = row.organisation is built.organisation and len(built.rows) > 1
        cells = []
        for column in built.columns:
            value = row.value(column)
            # A row of the organisation itself drills into its whole subtree; only show links
            # where the list and the figure are the same set.
            historical = column.address in row.historical
            # Imported history has no cases behind it: no link to a list that would not match.
            href = _href(org.pk, code, column) if value and not partial and not historical else None
            cells.append(
                {
                    "value": value,
                    "href": href,
                    "rate": column.is_rate,
                    "undefined": row.undefined(column),
                    "amount": column.amount,
                    "historical": historical,
                }
            )
        out.append(
            {
                "label": row.label,
                "organisation": row.organisation,
                "total": row is built.total,
                "cells": cells,
            }
        )
    return out


def _printed(value: Decimal) -> str:
    """A figure as the report prints it; empty for zero."""
    if not value:
        return ""
    return f"{int(value):,}" if value == value.to_integral_value() else f"{value:,.2f}"


@access(Capability.CASE_CONTENT)
def report_page(request: AuthedRequest) -> HttpResponse:
    org, period, error = _choice(request)
    built = report.build(org, period)
    context = {
        "report": built,
        "title": exports.title(built),
        "table": _table(built),
        "organisations": selectors.report_organisations(request.user),
        "period_error": error,
        "query": urlencode({"organisation": org.pk, "period": period.code}),
        "may_import_history": historical.may_import(request.user),
    }
    return render(request, "statistics/report.html", context)


@access(Capability.CASE_CONTENT)
def report_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    org, period, _error = _choice(request)
    built = report.build(org, period)
    name = f"statistics-{org.pk}-{period.code}"
    if fmt == "pdf":
        response = HttpResponse(exports.report_pdf(built), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    response = HttpResponse(exports.report_xlsx(built), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@access(Capability.CASE_CONTENT)
def figure_cases(request: AuthedRequest) -> HttpResponse:
    org, period, error = _choice(request)
    indicator = request.GET.get("indicator", "")
    key = request.GET.get("key", "")
    if indicator not in selectors.DRILLABLE:
        indicator = Indicator.MEDIATED
    try:
        qs = selectors.figure_cases(request.user, org, period, indicator, key)
    except DomainError as exc:
        error, qs = exc.message, selectors.figure_cases(request.user, org, period, indicator)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organisation": org,
        "period": period,
        "indicator": next(
            (c.header for c in report.columns(period) if c.address == (indicator, key)),
            Indicator(indicator).label,
        ),
        "key": key,
        "historical": _printed(selectors.historical_part(org, period, indicator, key)),
        "page": page,
        "error": error,
        "back": f"{reverse('statistics:report')}?{urlencode({'organisation': org.pk, 'period': period.code})}",
        "query": urlencode(
            {"organisation": org.pk, "period": period.code, "indicator": indicator, "key": key}
        ),
    }
    return render(request, "statistics/figure_cases.html", context)
