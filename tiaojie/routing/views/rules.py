"""The routing rules page: a bureau's rules in the order they are tried; create, edit,
deactivate. A refused rule comes back with what was typed and the reason next to the field."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import Conflict, DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.routing import selectors
from tiaojie.routing.forms import RuleForm
from tiaojie.routing.models import RoutingRule
from tiaojie.routing.services.rules import RULE_OWNER_KINDS, rule_deactivate, rule_save


@access(Capability.RULES_CONFIGURE)
def rule_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "routing/rules.html",
        {
            "rules": selectors.rules_for(user),
            "inherited": selectors.inherited_rules(user),
            "may_create": user.organisation.kind in RULE_OWNER_KINDS,
        },
    )


def _edit(request: AuthedRequest, rule: RoutingRule | None) -> HttpResponse:
    owner = rule.owner if rule else request.user.organisation
    status = 200
    if request.method == "POST":
        form = RuleForm(request.POST, owner=owner)
        if form.is_valid():
            try:
                rule_save(
                    actor=request.user,
                    data=form.data_out(),
                    rule=rule,
                    version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = 409 if isinstance(exc, Conflict) else 422
            else:
                messages.success(request, _("The rule is saved."))
                return redirect("routing:rules")
        else:
            status = 422
    else:
        form = RuleForm(initial=RuleForm.initial_of(rule) if rule else None, owner=owner)
    return render(request, "routing/rule_form.html", {"form": form, "rule": rule}, status=status)


@access(Capability.RULES_CONFIGURE)
def rule_create(request: AuthedRequest) -> HttpResponse:
    return _edit(request, None)


@access(Capability.RULES_CONFIGURE)
def rule_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _edit(request, selectors.rule_or_404(request.user, pk))


@access(Capability.RULES_CONFIGURE)
@require_POST
def rule_deactivate_view(request: AuthedRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_or_404(request.user, pk)
    try:
        rule_deactivate(actor=request.user, rule=rule)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The rule is no longer used."))
    return redirect("routing:rules")
