"""Staffing and insurance pages: the bureau's norms, the committees below them, the
uninsured and soon-expiring mediators, and recording a policy on a mediator's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.mediators import staffing
from tiaojie.mediators.forms import NormForm, PolicyForm
from tiaojie.mediators.rules import may_configure_ladder
from tiaojie.mediators.views import get_mediator


@access(Capability.RULES_CONFIGURE)
def staffing_norms(request: AuthedRequest) -> HttpResponse:
    if not may_configure_ladder(request.user):
        raise PermissionDenied
    form = NormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            staffing.norm_set(
                actor=request.user,
                committee_kind=d.get("committee_kind") or "",
                min_full_time=d["min_full_time"],
                min_total=d["min_total"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The staffing norm was saved."))
            return redirect("mediators:staffing_norms")
    return render(
        request,
        "mediators/staffing_norms.html",
        {"form": form, "norms": staffing.norms_in_force(request.user.organisation)},
    )


@access(Capability.MEDIATOR_VIEW)
def staffing_report(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "mediators/staffing_report.html",
        {
            "below": staffing.below_norms(request.user),
            "norms": staffing.norms_in_force(request.user.organisation),
        },
    )


@access(Capability.MEDIATOR_VIEW)
def insurance_report(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "mediators/insurance_report.html",
        {"report": staffing.insurance(request.user), "days": staffing.EXPIRY_NOTICE_DAYS},
    )


@access(Capability.MEDIATOR_MANAGE)
@require_POST
def policy_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mediator = get_mediator(request, pk)
    form = PolicyForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            staffing.policy_add(
                actor=request.user,
                mediator=mediator,
                data=staffing.PolicyData(
                    insurer=d.get("insurer") or "",
                    number=d.get("number") or "",
                    cover=d.get("cover"),
                    starts_on=d.get("starts_on"),
                    ends_on=d.get("ends_on"),
                ),
            )
        except DomainError as exc:
            messages.error(
                request, "；".join(m for ms in exc.fields.values() for m in ms) or exc.message
            )
        else:
            messages.success(request, _("The policy was recorded."))
    else:
        messages.error(request, _("Please correct the errors below."))
    return redirect("mediators:mediator_detail", pk=mediator.pk)
