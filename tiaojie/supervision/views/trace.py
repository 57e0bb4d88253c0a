"""The accountability trace (责任倒查) of a case, and the report per organisation or mediator
over a period."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tiaojie.accounts.roles import Capability, Role
from tiaojie.core.access import access
from tiaojie.core.types import AuthedRequest
from tiaojie.supervision import months, selectors
from tiaojie.supervision.forms import TraceReportForm
from tiaojie.supervision.rules import may_see_reports
from tiaojie.supervision.trace import case_trace
from tiaojie.supervision.views.common import indented


@access(Capability.CASE_CONTENT)
def case_trace_page(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.traced_case_or_404(request.user, pk)
    if request.user.role == Role.GRID_WORKER:
        raise PermissionDenied  # who held the case and missed what is for the staff
    steps = case_trace(case)
    context = {
        "case": case,
        "steps": steps,
        "missed": sum(1 for s in steps if s.missed),
        "today": timezone.localdate(),
    }
    return render(request, "supervision/case_trace.html", context)


@access(Capability.CASE_CONTENT)
def trace_report(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not may_see_reports(user):
        raise PermissionDenied
    orgs = list(selectors.report_organisations(user).order_by("path"))
    people = [(u.pk, u.full_name) for u in selectors.report_mediators(user)]
    form = TraceReportForm(request.GET or None, organisations=indented(orgs), mediators=people)
    today = timezone.localdate()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start = data.get("start") or months.first_of(today)
    end = data.get("end") or today
    # Raw ids, so that one out of scope is "not found" rather than quietly ignored.
    raw_org, raw_mediator = request.GET.get("organisation", ""), request.GET.get("mediator", "")
    subject, report = selectors.trace_report_for(
        user,
        int(raw_org) if raw_org.isdigit() else None,
        int(raw_mediator) if raw_mediator.isdigit() else None,
        start,
        end,
    )
    if not form.is_bound:
        form = TraceReportForm(
            initial={"organisation": getattr(subject, "pk", None), "start": start, "end": end},
            organisations=indented(orgs),
            mediators=people,
        )
    name = getattr(subject, "full_name", "") or getattr(subject, "name", "")
    context = {"form": form, "subject": subject, "subject_name": name, "report": report}
    return render(request, "supervision/trace_report.html", context)
