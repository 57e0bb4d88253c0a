"""The deadline rules of the user's bureau: each kind's length and near-due warning."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.deadlines.defaults import CONFIGURABLE_KINDS
from tiaojie.deadlines.forms import DeadlineRuleForm
from tiaojie.deadlines.models import DeadlineKind
from tiaojie.deadlines.selectors import RuleRow, rule_rows
from tiaojie.deadlines.services.rules import BUREAUS, deadline_rule_save


def _page(
    request: AuthedRequest, failed: tuple[str, DeadlineRuleForm] | None = None
) -> HttpResponse:
    if request.user.organisation.kind not in BUREAUS:
        raise PermissionDenied
    rows: list[tuple[RuleRow, DeadlineRuleForm | None]] = []
    for row in rule_rows(request.user.organisation):
        form = None
        if row.kind in CONFIGURABLE_KINDS:
            if failed and failed[0] == row.kind:
                form = failed[1]
            else:
                form = DeadlineRuleForm(
                    initial={
                        "value": row.rule.value,
                        "unit": row.rule.unit,
                        "near_due_days": row.rule.near_due_days,
                        "version": row.own.version if row.own else None,
                    },
                    prefix=row.kind,
                )
        rows.append((row, form))
    status = 422 if failed else 200
    return render(request, "deadlines/rules.html", {"rows": rows}, status=status)


@access(Capability.RULES_CONFIGURE)
def rule_list(request: AuthedRequest) -> HttpResponse:
    """Each deadline in force for the bureau: its own rule, its city's, or the default."""
    return _page(request)


@access(Capability.RULES_CONFIGURE)
def rule_edit(request: AuthedRequest, kind: str) -> HttpResponse:
    """Save the bureau's rule for one kind (POST); GET shows the rules page."""
    if kind not in DeadlineKind.values:
        raise Http404
    if request.method != "POST":
        return redirect("deadlines:rule_list")
    form = DeadlineRuleForm(request.POST, prefix=kind)
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            deadline_rule_save(
                actor=request.user,
                kind=kind,
                value=data["value"],
                unit=data["unit"],
                near_due_days=data["near_due_days"],
                version=data["version"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("The rule for “%(kind)s” was saved.") % {"kind": DeadlineKind(kind).label},
            )
            return redirect("deadlines:rule_list")
    return _page(request, (kind, form))
