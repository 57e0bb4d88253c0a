"""Evaluation pages: the bureau's weights, the evaluations of the viewer's area, and one
evaluation's ranked scores."""

from __future__ import annotations

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
from tiaojie.mediators import evaluation as ev
from tiaojie.mediators.forms_evaluation import EvaluationRunForm, WeightsForm
from tiaojie.mediators.models import Evaluation
from tiaojie.mediators.rules import may_configure_ladder


@access(Capability.RULES_CONFIGURE)
def evaluation_weights(request: AuthedRequest) -> HttpResponse:
    if not may_configure_ladder(request.user):
        raise PermissionDenied
    bureau = request.user.organisation
    current = ev.weights_in_force(bureau)
    form = WeightsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            ev.weights_set(actor=request.user, rows=form.weights())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The evaluation weights were saved."))
            return redirect("mediators:evaluation_weights")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "mediators/evaluation_weights.html",
        {"form": form, "current": current, "set_by": ev.weights_bureau(bureau)},
        status=status,
    )


@access(Capability.MEDIATOR_VIEW)
def evaluation_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    may_run = user.can(Capability.MEDIATOR_MANAGE)
    form = EvaluationRunForm(request.POST or None)
    if request.method == "POST":
        if not may_run:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                done = ev.evaluation_run(
                    actor=user,
                    title=d.get("title") or "",
                    starts_on=d.get("starts_on"),
                    ends_on=d.get("ends_on"),
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The evaluation was computed."))
                return redirect("mediators:evaluation_detail", pk=done.pk)
    return render(
        request,
        "mediators/evaluation_list.html",
        {
            "evaluations": ev.evaluations_for(user),
            "form": form if may_run else None,
            "weights": ev.weights_in_force(user.organisation),
        },
        status=422 if request.method == "POST" else 200,
    )


@access(Capability.MEDIATOR_VIEW)
def evaluation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    found = ev.evaluations_for(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return render(request, "mediators/evaluation_detail.html", _detail(found))


def _detail(evaluation: Evaluation) -> dict[str, object]:
    weights = ev.weights_of(evaluation)
    rows = [(s, [s.parts.get(w.criterion, {}) for w in weights]) for s in ev.scores_of(evaluation)]
    return {"evaluation": evaluation, "weights": weights, "rows": rows}
