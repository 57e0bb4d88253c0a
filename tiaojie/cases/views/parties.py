"""Correcting a party after registration (a respondent's ID number found later, a new phone).

The form shows the party's personal data in full, so only roles that may see it can edit, and
opening the form is recorded as a view of personal data."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.cases import presenters
from tiaojie.cases.choices import CaseStatus
from tiaojie.cases.forms_records import PartyAddForm
from tiaojie.cases.rules import may_work_on
from tiaojie.cases.services import intake
from tiaojie.cases.views.detail import get_case
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest

EDITABLE = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.IN_MEDIATION)


@access(Capability.CASE_HANDLE)
def party_edit(request: AuthedRequest, pk: int, party_id: int) -> HttpResponse:
    user = request.user
    case = get_case(request, pk)
    party = get_object_or_404(case.parties, pk=party_id)
    if not user.can(Capability.PERSONAL_DATA) or not may_work_on(user, case):
        raise PermissionDenied
    if request.method == "POST":
        form = PartyAddForm(request.POST, case=case, user=user)
        if form.is_valid():
            data = form.to_data()
            try:
                intake.party_update(actor=user, party=party, data=data, version=form.case_version)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("%(name)s was updated.") % {"name": party.name})
                for warning in intake.party_name_warnings([data]):
                    messages.warning(request, warning)
                return redirect("cases:case_detail", pk=case.pk)
    else:
        values = presenters.revealed(user, case, [party])[0]
        form = PartyAddForm(
            case=case,
            user=user,
            initial={**values, "residence": values["residence_id"], "version": case.version},
        )
    return render(
        request,
        "cases/party_edit.html",
        {"case": case, "party": party, "form": form, "editable": case.status in EDITABLE},
    )
