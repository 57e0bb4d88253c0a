"""The 分析研判报告 page: choose a subtree and period, ask for the report, watch its progress
(htmx polling), download the DOCX and the PDF."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.types import AuthedRequest
from tiaojie.statistics import analysis_jobs, periods, selectors
from tiaojie.statistics.models import AnalysisReport


def _mine(request: AuthedRequest, pk: int) -> AnalysisReport:
    """A report of the viewer's subtree; another's is not found."""
    if not selectors.may_see_statistics(request.user):
        raise PermissionDenied
    row = AnalysisReport.objects.select_related("organisation").filter(pk=pk).first()
    if row is None or not row.org_path.startswith(request.user.organisation.path):
        raise Http404
    return row


@access(Capability.CASE_CONTENT)
def analysis_page(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not selectors.may_see_statistics(user):
        raise PermissionDenied
    raw = request.GET.get("organisation", "")
    org = selectors.report_organisation_or_404(user, int(raw) if raw.isdigit() else None)
    period, error = periods.parse(str(timezone.localdate().year)), ""
    if request.GET.get("period"):
        try:
            period = periods.parse(request.GET["period"])
        except DomainError as exc:
            error = exc.message
    latest = AnalysisReport.objects.filter(organisation=org, period=period.code).first()
    context = {
        "organisation": org,
        "period": period,
        "period_error": error,
        "organisations": selectors.report_organisations(user),
        "job": latest,
    }
    return render(request, "statistics/analysis.html", context)


@require_POST
@access(Capability.CASE_CONTENT)
def analysis_request(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not selectors.may_see_statistics(user):
        raise PermissionDenied
    raw = request.POST.get("organisation", "")
    org = selectors.report_organisation_or_404(user, int(raw) if raw.isdigit() else None)
    try:
        period = periods.parse(request.POST.get("period", ""))
    except DomainError as exc:
        return render(
            request,
            "statistics/partials/analysis_status.html",
            {"job": None, "organisation": org, "period": None, "error": exc.message},
        )
    job = analysis_jobs.request(actor=user, organisation=org, period=period)
    return render(
        request,
        "statistics/partials/analysis_status.html",
        {"job": job, "organisation": org, "period": period},
    )


@access(Capability.CASE_CONTENT)
def analysis_status(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _mine(request, pk)
    context = {"job": job, "organisation": job.organisation, "period": periods.parse(job.period)}
    return render(request, "statistics/partials/analysis_status.html", context)


@access(Capability.CASE_CONTENT)
def analysis_file(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    job = _mine(request, pk)
    content = job.pdf if fmt == "pdf" else job.docx if fmt == "docx" else None
    if job.status != AnalysisReport.Status.DONE or content is None:
        raise Http404
    types = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    response = HttpResponse(bytes(content), content_type=types[fmt])
    name = f"analysis-{job.organisation_id}-{job.period}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
