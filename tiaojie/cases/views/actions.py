"""One view for everything done to a case from its page (``?do=<action>``): GET gives the
action's small form (a fragment for htmx, a page otherwise), POST runs it through the service.
A refusal is shown on the form with what was typed; success goes back to the case's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from tiaojie.accounts.roles import Capability
from tiaojie.cases.views.action_specs import SPECS, State, available_specs
from tiaojie.cases.views.detail import get_case
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest


@access(Capability.CASE_CONTENT)
def case_action(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = get_case(request, pk)
    state = State(case, user)
    name = request.GET.get("do", "")
    if not name:
        # The bar of buttons alone, e.g. to refresh it.
        return render(
            request, "cases/partials/actions.html", {"case": case, "specs": available_specs(state)}
        )
    spec = SPECS.get(name)
    if spec is None:
        raise Http404
    if not user.can(spec.capability):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = spec.form(request.POST, request.FILES, case=case, user=user)
        if form.is_valid():
            try:
                message = spec.perform(user, case, form)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, message)
                url = reverse("cases:case_detail", args=[case.pk])
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    else:
        form = spec.form(case=case, user=user)
        if not spec.available(state):
            status = 409
    template = "cases/partials/action_form.html" if request.htmx else "cases/action_page.html"
    context = {
        "case": case,
        "spec": spec,
        "form": form,
        "not_now": status == 409,
        **spec.context(state),
    }
    return render(request, template, context, status=status)
