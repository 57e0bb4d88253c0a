"""Pages of the per-case subsidy: the month's sheets in the viewer's area, one sheet with its
cases, exclusions, mediators and approval steps, its XLSX, and the bureau's rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core import xlsx
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.subsidies import exports, selectors
from tiaojie.subsidies.choices import SheetAction, Tier
from tiaojie.subsidies.forms import ActionForm, MonthForm, RuleSetForm, initial_rules
from tiaojie.subsidies.presenters import basis_text, exclusion_text
from tiaojie.subsidies.services import approval, rulesets, sheets
from tiaojie.subsidies.services.rulesets import BUREAU_KINDS


def _month(request: AuthedRequest) -> Any:
    form = MonthForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["month"]
    today = timezone.localdate().replace(day=1)
    return sheets.previous_month(today)


@access(Capability.SUBSIDY_VIEW)
def sheet_list(request: AuthedRequest) -> HttpResponse:
    """The month's sheets of the viewer's area; the director computes the committee's."""
    user = request.user
    month = _month(request)
    rows = list(selectors.sheets_for(user, month).order_by("committee_path"))
    context = {
        "month": month,
        "month_value": f"{month:%Y-%m}",
        "rows": rows,
        "total": sum((r.total for r in rows), start=sheets.ZERO),
        "mediators": selectors.area_mediator_totals(user, month),
        "may_compute": user.can(Capability.SUBSIDY_PREPARE),
        "may_configure": user.can(Capability.SUBSIDY_CONFIGURE),
    }
    return render(request, "subsidies/sheet_list.html", context)


@access(Capability.SUBSIDY_PREPARE)
def sheet_compute(request: AuthedRequest) -> HttpResponse:
    """POST: compute (again) the director's committee's draft sheet for the month."""
    if request.method != "POST":
        return redirect("subsidies:sheet_list")
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a month as YYYY-MM."))
        return redirect("subsidies:sheet_list")
    try:
        sheet = sheets.sheet_compute(
            actor=request.user,
            committee=request.user.organisation,
            month=form.cleaned_data["month"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('subsidies:sheet_list')}?month={request.POST['month']}")
    messages.success(request, _("The sheet is computed."))
    return redirect("subsidies:sheet_detail", pk=sheet.pk)


@access(Capability.SUBSIDY_VIEW)
def sheet_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    sheet = selectors.sheet_or_404(user, pk)
    lines = list(sheet.lines.prefetch_related("shares__mediator"))
    paid = [(line, basis_text(line)) for line in lines if not line.exclusion]
    context = {
        "sheet": sheet,
        "paid": paid,
        "excluded": [(line, exclusion_text(line)) for line in lines if line.exclusion],
        "mediators": selectors.mediator_totals(sheet),
        "tiers": {str(t.label): sum(1 for line, _b in paid if line.tier == t) for t in Tier},
        "steps": sheet.transitions.all(),
        "actions": [(a, SheetAction(a).label) for a in approval.allowed_actions(sheet, user)],
        "may_recompute": sheet.status == "draft"
        and user.can(Capability.SUBSIDY_PREPARE)
        and user.organisation_id == sheet.committee_id,
        "form": ActionForm(),
    }
    return render(request, "subsidies/sheet_detail.html", context)


@access(Capability.SUBSIDY_VIEW)
def sheet_action(request: AuthedRequest, pk: int) -> HttpResponse:
    """POST an approval step: ``action``, ``reason`` (a return needs one), ``version``."""
    user = request.user
    sheet = selectors.sheet_or_404(user, pk)
    if request.method != "POST":
        return redirect("subsidies:sheet_detail", pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return redirect("subsidies:sheet_detail", pk=pk)
    action = form.cleaned_data["action"]
    if action not in approval.allowed_actions(sheet, user):
        raise PermissionDenied
    try:
        approval.sheet_transition(
            actor=user,
            sheet=sheet,
            action=action,
            reason=form.cleaned_data["reason"] or "",
            version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("subsidies:sheet_detail", pk=pk)


@access(Capability.SUBSIDY_VIEW)
def sheet_export(request: AuthedRequest, pk: int) -> HttpResponse:
    sheet = selectors.sheet_or_404(request.user, pk)
    audit.record(
        EventType.SUBSIDY_SHEET_EXPORTED,
        actor=request.user,
        organisation=sheet.committee,
        obj=sheet,
    )
    response = HttpResponse(exports.workbook(sheet), content_type=xlsx.CONTENT_TYPE)
    name = f"subsidy-{sheet.committee_id}-{sheet.month:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@access(Capability.SUBSIDY_CONFIGURE)
def rule_list(request: AuthedRequest) -> HttpResponse:
    rule_sets = selectors.rule_sets_for(request.user).prefetch_related("amounts")
    return render(request, "subsidies/rule_list.html", {"rule_sets": rule_sets})


@access(Capability.SUBSIDY_CONFIGURE)
def rule_create(request: AuthedRequest) -> HttpResponse:
    """A new version of the rules of the officer's bureau."""
    user = request.user
    if user.organisation.kind not in BUREAU_KINDS:
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = RuleSetForm(request.POST)
        if form.is_valid():
            try:
                rule_set = rulesets.rule_set_create(
                    actor=user, bureau=user.organisation, data=form.data_out()
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = 422
            else:
                messages.success(request, _("The rules are saved."))
                return redirect("subsidies:rule_detail", pk=rule_set.pk)
        else:
            status = 422
    else:
        form = RuleSetForm(initial=initial_rules(timezone.localdate()))
    return render(request, "subsidies/rule_form.html", {"form": form}, status=status)


@access(Capability.SUBSIDY_VIEW)
def rule_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    rule_set = selectors.rule_set_or_404(request.user, pk)
    return render(
        request,
        "subsidies/rule_detail.html",
        {
            "rule_set": rule_set,
            "bands": rule_set.bands.all(),
            "amounts": rule_set.amounts.all(),
        },
    )
