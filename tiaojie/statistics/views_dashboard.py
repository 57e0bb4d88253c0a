"""The dashboard of an organisation (ECharts, vendored) and the command-centre screen."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
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


def _refresh_seconds(request: AuthedRequest) -> int:
    """The configured interval, or the screen URL's own ``?refresh=N`` (5 s to an hour)."""
    raw = request.GET.get("refresh", "")
    if raw.isdigit():
        return min(max(int(raw), 5), 3600)
    return int(settings.TIAOJIE_SCREEN_REFRESH_SECONDS)


@access(Capability.CASE_CONTENT)
def screen_page(request: AuthedRequest) -> HttpResponse:
    """The command-centre wall (1920×1080, dark): live counts and this year's figures. The
    page is drawn once; ``statistics/screen.js`` then reads ``screen_data`` every N seconds
    and changes the figures and charts in place, so the wall never goes blank."""
    org, period, _error = _choice(request, periods.parse(str(timezone.localdate().year)))
    query = {"organisation": org.pk, "period": period.code}
    context = {
        "organisation": org,
        "period": period,
        "screen": dashboard.screen(org, period, request.user),
        "labels": _labels(),
        "refresh": _refresh_seconds(request),
        "data_url": f"{reverse('statistics:screen_data')}?{urlencode(query)}",
    }
    return render(request, "statistics/screen.html", context)


@access(Capability.CASE_CONTENT)
def screen_data(request: AuthedRequest) -> JsonResponse:
    """The screen's figures as JSON (the same as ``GET /api/v1/statistics/screen``)."""
    org, period, _error = _choice(request, periods.parse(str(timezone.localdate().year)))
    response = JsonResponse(dashboard.screen(org, period, request.user), encoder=DjangoJSONEncoder)
    response["Cache-Control"] = "no-store"
    return response
