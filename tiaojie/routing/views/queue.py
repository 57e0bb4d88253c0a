"""The governance centre's queue: disputes waiting for triage, oldest first, each with the
suggested committee, the rule that fired and why; routed with one click, or elsewhere with a
reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import Case
from tiaojie.cases.services.intake import has_intake
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.routing import selectors
from tiaojie.routing.forms import RouteElsewhereForm
from tiaojie.routing.services.routing import case_route
from tiaojie.routing.triage import triage_many
from tiaojie.triage.model import reader
from tiaojie.triage.views import dispute_type_names, presented

PAGE = 100


@access(Capability.CASE_ROUTE)
def queue(request: AuthedRequest) -> HttpResponse:
    waiting = selectors.queue_for(request.user)
    count = waiting.count()
    cases = list(waiting[:PAGE])
    suggestions = triage_many(cases)
    # The narrative reader (triage app, same layer): one batch for the page.
    readings = reader().read_many(
        [c.narrative or c.summary for c in cases], [c.source for c in cases]
    )
    names = dispute_type_names()
    rows = [
        {"case": c, "triage": suggestions.get(c.pk), "reading": presented(reading, names)}
        for c, reading in zip(cases, readings, strict=True)
    ]
    return render(
        request,
        "routing/queue.html",
        {
            "rows": rows,
            "count": count,
            "shown": len(rows),
            "oldest_at": cases[0].registered_at if cases else None,
            "many_centres": len({c.committee_id for c in cases}) > 1,
            # An officer above the centres sees their queues but registers nowhere.
            "can_register": request.user.can(Capability.CASE_REGISTER) and has_intake(request.user),
        },
    )


def _done(request: AuthedRequest, case: Case) -> HttpResponse:
    if request.htmx:
        # The whole row becomes "routed", whichever form inside it was sent.
        response = render(request, "routing/partials/queue_routed.html", {"case": case})
        return reswap(retarget(response, f"#queued-{case.pk}"), "outerHTML")
    messages.success(
        request,
        _("%(number)s routed to %(committee)s.")
        % {"number": case.number, "committee": case.committee.name},
    )
    return redirect("routing:queue")


@access(Capability.CASE_ROUTE)
@require_POST
def route_suggested(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.queued_or_404(request.user, pk)
    try:
        routed = case_route(actor=request.user, case=case)
    except DomainError as exc:
        if request.htmx:
            return render(
                request, "routing/partials/queue_error.html", {"case": case, "error": exc.message}
            )
        messages.error(request, exc.message)
        return redirect("routing:queue")
    return _done(request, routed)


@access(Capability.CASE_ROUTE)
def route_elsewhere(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.queued_or_404(request.user, pk)
    committees = selectors.committees_in_reach(case.committee)
    status = 200
    if request.method == "POST":
        form = RouteElsewhereForm(request.POST, committees=committees)
        if form.is_valid():
            try:
                routed = case_route(
                    actor=request.user,
                    case=case,
                    committee=form.cleaned_data["committee"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = 422
            else:
                return _done(request, routed)
        else:
            status = 422
    else:
        form = RouteElsewhereForm(committees=committees)
    # A page of its own: the committee list and the reason need more room than a table cell.
    triage = triage_many([case]).get(case.pk)
    context = {"case": case, "form": form, "triage": triage}
    return render(request, "routing/route_page.html", context, status=status)
