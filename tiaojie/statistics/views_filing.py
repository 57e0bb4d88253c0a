"""Pages of filing: an organisation's report for a period with its buttons (htmx), the
reports of the level below, and the history of moves."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.types import AuthedRequest
from tiaojie.statistics import filing, periods, report, selectors
from tiaojie.statistics.choices import ReportStatus
from tiaojie.statistics.models import StatReport


def _default_period() -> periods.Period:
    """Last month: the period due for filing now."""
    today = timezone.localdate()
    first = today.replace(day=1)
    return periods.month_of(first - dt.timedelta(days=1))


def _panel_context(request: AuthedRequest, row: StatReport, error: str = "") -> dict[str, Any]:
    period = periods.parse(row.period)
    columns = {c.code: c for c in report.columns(period)}
    shown = row.figures if row.status in (ReportStatus.FILED, ReportStatus.APPROVED) else None
    live = filing.figures_now(row)
    headline = ["accepted", "mediated", "success", "rate.success", "amount", "performed"]
    return {
        "row": row,
        "period": period,
        "actions": filing.offered(request.user, row),
        "error": error,
        "due_on": filing.due_on(row),
        "figures": [(columns[code].header, (shown or live).get(code, "0")) for code in headline],
        "changed_since": shown is not None and shown != live,
        "steps": list(row.steps.order_by("-at", "-id")[:20]),
        "report_url": f"{reverse('statistics:report')}?"
        + urlencode({"organisation": row.organisation_id, "period": row.period}),
    }


@access(Capability.CASE_CONTENT)
def filing_page(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not selectors.may_see_statistics(user):
        raise PermissionDenied
    raw = request.GET.get("organisation", "")
    org = selectors.report_organisation_or_404(user, int(raw) if raw.isdigit() else None)
    error = ""
    period = _default_period()
    if request.GET.get("period"):
        try:
            period = periods.parse(request.GET["period"])
        except DomainError as exc:
            error = exc.message
    row = filing.report_for(org, period)
    children = report.row_organisations(org)
    below = {
        r.organisation_id: r
        for r in StatReport.objects.filter(
            organisation__in=children, period=period.code
        ).select_related("organisation")
    }
    context = {
        **_panel_context(request, row),
        "organisation": org,
        "period_error": error,
        "organisations": selectors.report_organisations(user),
        "children": [(child, below.get(child.pk)) for child in children],
    }
    return render(request, "statistics/filing.html", context)


@require_POST
@access(Capability.CASE_CONTENT)
def filing_action(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    if not selectors.may_see_statistics(user):
        raise PermissionDenied
    row = StatReport.objects.select_related("organisation").filter(pk=pk).first()
    if row is None or not row.org_path.startswith(user.organisation.path):
        raise Http404
    raw_version = request.POST.get("version", "")
    error = ""
    try:
        row = filing.report_transition(
            actor=user,
            report_row=row,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            nil=request.POST.get("nil") in ("on", "1", "true"),
            version=int(raw_version) if raw_version.isdigit() else None,
        )
    except DomainError as exc:
        error = exc.message
        row.refresh_from_db()
    if not request.htmx:
        url = reverse("statistics:filing")
        return redirect(
            f"{url}?{urlencode({'organisation': row.organisation_id, 'period': row.period})}"
        )
    return render(
        request, "statistics/partials/filing_panel.html", _panel_context(request, row, error)
    )
