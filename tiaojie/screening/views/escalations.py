"""Prevented escalations of a case: the list and the form, on a page of this app that the
case page links to (cases does not import screening)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import Case
from tiaojie.cases.rules import case_policy
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.screening.forms import EscalationForm
from tiaojie.screening.models import Finding, PreventedEscalation
from tiaojie.screening.rules import REPORT, finding_policy
from tiaojie.screening.services import escalations


@access(Capability.CASE_CONTENT)
def case_escalations(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = case_policy.get_or_404(
        request.user,
        Capability.CASE_CONTENT,
        base=Case.objects.select_related("committee"),
        pk=case_id,
    )
    recorder = escalations.may_record(request.user, case)
    form = EscalationForm(
        request.POST or None, initial={"recorded_on": timezone.localdate(), "people": 2}
    )
    status = 200
    if request.method == "POST":
        if not recorder:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                escalations.escalation_record(
                    actor=request.user,
                    case=case,
                    kind=data["kind"],
                    people=data["people"],
                    recorded_on=data["recorded_on"],
                    note=data["note"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The prevented escalation was recorded."))
                return redirect("screening:case_escalations", case_id=case.pk)
        status = 422
    rows = PreventedEscalation.objects.filter(case=case).select_related("recorded_by")
    return render(
        request,
        "screening/case_escalations.html",
        {"case": case, "rows": rows, "form": form, "may_record": recorder},
        status=status,
    )


@access(Capability.CASE_CONTENT)
def case_panel(request: AuthedRequest, case_id: int) -> HttpResponse:
    """On the case page (core.case_page): the screening finding the case came from and the
    escalations its mediation prevented. Nothing to show, nothing rendered."""
    case = case_policy.get_or_404(request.user, Capability.CASE_CONTENT, pk=case_id)
    finding = Finding.objects.filter(case=case).select_related("round__organisation").first()
    return render(
        request,
        "screening/partials/case_panel.html",
        {
            "case": case,
            "finding": finding,
            "finding_visible": finding is not None
            and finding_policy.visible(request.user, REPORT).filter(pk=finding.pk).exists(),
            "rows": PreventedEscalation.objects.filter(case=case).order_by("recorded_on"),
            "may_record": escalations.may_record(request.user, case),
        },
    )
