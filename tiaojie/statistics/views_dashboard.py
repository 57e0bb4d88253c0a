"""The dashboard of an organisation (ECharts, vendored) and the command-centre screen."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.types import AuthedRequest
from tiaojie.organisations.models import Organisation
from tiaojie.statistics import dashboard, periods, selectors


def _labels() -> dict[str, str]:
    """The series names the charts show, translated."""
    return {
        "accepted": _("Accepted"),
        "mediated": _("Mediated"),
        "success": _("Successful"),
        "success_rate": _("Success rate %"),
        "performance_rate": _("Performance rate %"),
    }


def _choice(
    request: AuthedRequest, default: periods.Period
) -> tuple[Organisation, periods.Period, str]:
    user = request.user
    if not selectors.may_see_statistics(user):
        raise PermissionDenied
    raw = request.GET.get("organisation", "")
    org = selectors.report_organisation_or_404(user, int(raw) if raw.isdigit() else None)
    period, error = default, ""
    if request.GET.get("period"):
        try:
            period = periods.parse(request.GET["period"])
        except DomainError as exc:
            error = exc.message
    return org, period, error


@access(Capability.CASE_CONTENT)
def dashboard_page(request: AuthedRequest) -> HttpResponse:
    """This year's figures by default: trend, type mix, ranking and rates; a click drills down."""
    org, period, error = _choice(request, periods.parse(str(timezone.localdate().year)))
    context = {
        "organisation": org,
        "period": period,
        "period_error": error,
        "organisations": selectors.report_organisations(request.user),
        "data": dashboard.data(org, period),
        "live": dashboard.live_counts(org, request.user),
        "labels": _labels(),
    }
    return render(request, "statistics/dashboard.html", context)


@access(Capability.CASE_CONTENT)
def screen_page(request: AuthedRequest) -> HttpResponse:
    """The command-centre wall (1920×1080, dark): live counts and this year's figures;
    reloads itself every minute."""
    org, period, _error = _choice(request, periods.parse(str(timezone.localdate().year)))
    context = {
        "organisation": org,
        "period": period,
        "data": dashboard.data(org, period),
        "live": dashboard.live_counts(org, request.user),
        "now": timezone.localtime(),
        "labels": _labels(),
    }
    return render(request, "statistics/screen.html", context)
