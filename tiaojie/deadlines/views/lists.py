"""The near-due and overdue list, the counts per organisation, and a case's deadline panel."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from tiaojie.accounts.roles import Capability
from tiaojie.cases.rules import case_policy
from tiaojie.core.access import access
from tiaojie.core.types import AuthedRequest
from tiaojie.deadlines import selectors, sources
from tiaojie.deadlines.context import DeadlineContext
from tiaojie.deadlines.forms import DeadlineFilterForm
from tiaojie.deadlines.models import DeadlineKind
from tiaojie.deadlines.queries import PAIRS

PAGE_SIZE = 50


def _organisation_choices(request: AuthedRequest) -> list[tuple[int, str]]:
    orgs = selectors.child_organisations(request.user)
    own = request.user.organisation
    choices = [(own.pk, own.name)] if own.pk not in {o.pk for o in orgs} else []
    return choices + [(o.pk, o.name) for o in orgs]


def _pair_labels() -> list[dict[str, str]]:
    return [
        {"kind": kind, "level": level, "label": str(DeadlineKind(kind).label)}
        for kind, level in PAIRS
    ]


@access(Capability.CASE_CONTENT)
def deadline_list(request: AuthedRequest) -> HttpResponse:
    """The user's near-due and overdue deadlines (限期办理), earliest due first."""
    form = DeadlineFilterForm(request.GET or None, organisations=_organisation_choices(request))
    values: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    organisation = selectors.organisation_in_scope(request.user, values.get("organisation"))
    ctx = DeadlineContext.build()
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isdigit() and int(raw) > 0 else 1
    filters: dict[str, Any] = {
        "kind": values.get("kind", ""),
        "level": values.get("level", ""),
        "organisation": organisation,
        "limit": PAGE_SIZE,
        "ctx": ctx,
    }
    result = selectors.deadline_items(request.user, offset=(number - 1) * PAGE_SIZE, **filters)
    page = Paginator(range(result.total), PAGE_SIZE).get_page(number)
    if page.number != number:  # past the last page: show the last one
        result = selectors.deadline_items(
            request.user, offset=(page.number - 1) * PAGE_SIZE, **filters
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "result": result,
        "page": page,
        "query": query.urlencode(),
        "today": ctx.today,
        "elsewhere": sources.overdue_elsewhere(request.user),
        "counts": [
            {**label, "n": result.counts.get((label["kind"], label["level"]), 0)}
            for label in _pair_labels()
        ],
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "deadlines/partials/deadline_table.html", context)
    return render(request, "deadlines/deadline_list.html", context)


@access(Capability.CASE_CONTENT)
def org_counts(request: AuthedRequest) -> HttpResponse:
    """Near-due and overdue counts per kind for each organisation one level down."""
    rows = selectors.organisation_counts(request.user)
    return render(
        request,
        "deadlines/org_counts.html",
        {"rows": rows, "columns": _pair_labels()},
    )


@access(Capability.CASE_CONTENT)
def case_panel(request: AuthedRequest, pk: int) -> HttpResponse:
    """The deadlines of one case and its open alerts: a fragment the case page loads."""
    case = case_policy.get_or_404(request.user, Capability.CASE_CONTENT, pk=pk)
    ctx = DeadlineContext.build()
    deadlines = selectors.case_deadlines(case, ctx)
    provisional = any(d.provisional for d in deadlines)
    return render(
        request,
        "deadlines/partials/case_panel.html",
        {
            "case": case,
            "deadlines": deadlines,
            "alerts": selectors.open_alerts(case),
            "today": ctx.today,
            "provisional_after": ctx.calendar.covered_until if provisional else None,
        },
    )
