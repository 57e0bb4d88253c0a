"""A finding's page: turn it into a case in one step, or close it with a reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.screening.choices import FindingStatus
from tiaojie.screening.forms import CloseForm, ToCaseForm
from tiaojie.screening.models import Finding
from tiaojie.screening.rules import REPORT, finding_policy, may_report
from tiaojie.screening.services import findings


def get_finding(request: AuthedRequest, pk: int) -> Finding:
    return finding_policy.get_or_404(
        request.user,
        REPORT,
        base=Finding.objects.select_related("round", "round__organisation", "case", "created_by"),
        pk=pk,
    )


def _acting_finding(request: AuthedRequest, pk: int) -> Finding:
    """The finding, for those who report its round (the levels above read it: 403)."""
    finding = get_finding(request, pk)
    if not may_report(request.user, finding.round):
        raise PermissionDenied
    return finding


def _context(request: AuthedRequest, finding: Finding, **extra: Any) -> dict[str, Any]:
    acting = finding.status == FindingStatus.OPEN and may_report(request.user, finding.round)
    initial = {"version": finding.version}
    return {
        "finding": finding,
        "acting": acting,
        "case_form": extra.pop("case_form", None)
        or ToCaseForm(initial={**initial, "summary": finding.what[:200]}),
        "close_form": extra.pop("close_form", None) or CloseForm(initial=initial),
        **extra,
    }


@access(REPORT)
def finding_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    finding = get_finding(request, pk)
    return render(request, "screening/finding_detail.html", _context(request, finding))


@require_POST
@access(REPORT)
def finding_to_case(request: AuthedRequest, pk: int) -> HttpResponse:
    finding = _acting_finding(request, pk)
    form = ToCaseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["dispute_type"] is None:
                message = _("Choose the dispute type.")
                form.add_error("dispute_type", message)
                raise _Stop
            case = findings.finding_to_case(
                actor=request.user,
                finding=finding,
                data=findings.CaseFromFinding(
                    dispute_type=data["dispute_type"],
                    applicant=data["applicant"],
                    respondent=data["respondent"],
                    summary=data["summary"],
                ),
                version=data["version"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        except _Stop:
            pass
        else:
            messages.success(
                request, _("The finding is now case %(number)s.") % {"number": case.number}
            )
            return redirect("screening:finding_detail", pk=pk)
    context = _context(request, finding, case_form=form)
    return render(request, "screening/finding_detail.html", context, status=422)


class _Stop(Exception):
    """The form's own refusal, before the service is asked."""


@require_POST
@access(REPORT)
def finding_close(request: AuthedRequest, pk: int) -> HttpResponse:
    finding = _acting_finding(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            findings.finding_close(
                actor=request.user,
                finding=finding,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The finding was closed."))
            return redirect("screening:finding_detail", pk=pk)
    context = _context(request, finding, close_form=form)
    return render(request, "screening/finding_detail.html", context, status=422)
