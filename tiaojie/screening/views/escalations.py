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
from tiaojie.screening.models import PreventedEscalation
from tiaojie.screening.services import escalations


@access(Capability.CASE_CONTENT)
def case_escalations(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = case_policy.get_or_404(
        request.user,
        Capability.CASE_CONTENT,
        base=Case.objects.select_related("committee"),
        pk=case_id,
    )
    may_record = request.user.can(escalations.RECORD) and case_policy.allows(
        request.user, escalations.RECORD, case
    )
    form = EscalationForm(
        request.POST or None, initial={"recorded_on": timezone.localdate(), "people": 2}
    )
    status = 200
    if request.method == "POST":
        if not may_record:
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
        {"case": case, "rows": rows, "form": form, "may_record": may_record},
        status=status,
    )
