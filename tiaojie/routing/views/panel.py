"""The routing panel of a case's page (fetched with htmx): how the case got where it is, a
transfer waiting on it, and the joint committees; with the forms each director may use."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import Case, JointCommittee
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.routing import selectors
from tiaojie.routing.forms import DecisionForm, JointForm, TransferForm
from tiaojie.routing.services.joint import (
    OPEN_FOR_JOINT,
    joint_committee_add,
    joint_committee_remove,
)
from tiaojie.routing.services.routing import directs
from tiaojie.routing.services.transfers import (
    TRANSFERABLE,
    transfer_request,
    transfer_targets,
    transfer_transition,
)


def _transfer_committees(case: Case) -> Any:
    # The escalation targets are committees of the district too: this list holds them.
    return transfer_targets(case.committee)


def _joint_committees(case: Case) -> Any:
    """The district's other committees not already mediating the case (a subquery: no query
    until the form renders)."""
    joined = JointCommittee.objects.filter(case=case, left_at__isnull=True)
    return transfer_targets(case.committee).exclude(pk__in=joined.values("committee_id"))


def render_panel(
    request: AuthedRequest,
    case: Case,
    *,
    transfer_form: Form | None = None,
    joint_form: Form | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    history = selectors.routing_history(case)
    names = selectors.rule_names({int(t.data["rule_id"]) for t in history if t.data.get("rule_id")})
    pending = selectors.pending_transfer(case)
    leads = directs(request.user, case.committee_id)
    may_transfer = leads and pending is None and case.status in TRANSFERABLE
    may_join = leads and case.status in OPEN_FOR_JOINT
    context = {
        "case": case,
        "history": [(t, names.get(int(t.data.get("rule_id") or 0), "")) for t in history],
        "pending": pending,
        "may_decide": pending is not None and directs(request.user, pending.to_organisation_id),
        "may_withdraw": pending is not None and directs(request.user, pending.from_committee_id),
        "transfer_form": transfer_form
        or (TransferForm(committees=_transfer_committees(case)) if may_transfer else None),
        "joint": selectors.active_joint(case),
        "may_join": may_join,
        "joint_form": joint_form
        or (JointForm(committees=_joint_committees(case)) if may_join else None),
        "error": error,
    }
    return render(request, "routing/partials/case_panel.html", context, status=status)


@access(Capability.CASE_CONTENT)
def case_panel(request: AuthedRequest, pk: int) -> HttpResponse:
    return render_panel(request, selectors.case_or_404(request.user, pk))


def _after(request: AuthedRequest, case: Case, message: str) -> HttpResponse:
    if request.htmx:
        return render_panel(request, selectors.case_or_404(request.user, case.pk))
    messages.success(request, message)
    return redirect(reverse("cases:case_detail", args=[case.pk]))


@access(Capability.CASE_ASSIGN)
@require_POST
def transfer_request_view(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_or_404(request.user, pk)
    form = TransferForm(request.POST, committees=_transfer_committees(case))
    if form.is_valid():
        try:
            transfer_request(
                actor=request.user,
                case=case,
                to_organisation=form.cleaned_data["to_organisation"],
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return _after(request, case, _("The transfer is waiting for the receiver."))
    return render_panel(request, case, transfer_form=form, status=422)


@access(Capability.CASE_ASSIGN)
@require_POST
def transfer_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    transfer = selectors.transfer_or_404(request.user, pk)
    form = DecisionForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            transfer_transition(
                actor=request.user,
                transfer=transfer,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Unknown action.")
    if request.htmx and request.POST.get("from") == "panel":
        case = selectors.case_or_404(request.user, transfer.case_id)
        return render_panel(request, case, error=error, status=422 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Done."))
    return redirect("routing:transfers")


@access(Capability.CASE_ASSIGN)
@require_POST
def joint_add(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_or_404(request.user, pk)
    form = JointForm(request.POST, committees=_joint_committees(case))
    if form.is_valid():
        try:
            joint_committee_add(
                actor=request.user,
                case=case,
                committee=form.cleaned_data["committee"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return _after(request, case, _("The committee joins the mediation."))
    return render_panel(request, case, joint_form=form, status=422)


@access(Capability.CASE_ASSIGN)
@require_POST
def joint_remove(request: AuthedRequest, pk: int, committee_pk: int) -> HttpResponse:
    case = selectors.case_or_404(request.user, pk)
    joint = next((j for j in selectors.active_joint(case) if j.committee_id == committee_pk), None)
    if joint is None:
        return render_panel(
            request, case, error=_("This committee does not take part."), status=404
        )
    try:
        joint_committee_remove(actor=request.user, case=case, committee=joint.committee)
    except DomainError as exc:
        return render_panel(request, case, error=exc.message, status=exc.status)
    return _after(request, case, _("The committee left the joint mediation."))
