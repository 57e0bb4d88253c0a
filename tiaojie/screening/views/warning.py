"""Early warning pages for the officers above: cases by risk score, hotspots against each
place's own baseline, and disputes that share a party, suggested for review."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.types import AuthedRequest
from tiaojie.screening.choices import Decision, RiskFactor
from tiaojie.screening.models import CaseRisk, DuplicateSuggestion
from tiaojie.screening.rules import OVERSEE, suggestion_policy
from tiaojie.screening.services import duplicates, hotspots


@access(OVERSEE)
def risks(request: AuthedRequest) -> HttpResponse:
    rows = (
        CaseRisk.objects.filter(
            committee_path__startswith=request.user.organisation.path, score__gt=0
        )
        .select_related("case", "case__committee")
        .order_by("-score", "-raised_at")[:200]
    )
    labelled = [(r, [RiskFactor(f).label for f in r.factors]) for r in rows]
    return render(request, "screening/risks.html", {"rows": labelled})


@access(OVERSEE)
def hotspot_list(request: AuthedRequest) -> HttpResponse:
    week = timezone.localdate()
    raw = request.GET.get("week", "")
    if raw:
        try:
            week = dt.date.fromisoformat(raw)
        except ValueError:
            messages.error(request, _("Choose a date for the week."))
    cells = hotspots.cells(request.user.organisation.path, week)
    return render(
        request,
        "screening/hotspots.html",
        {
            "cells": cells,
            "week": hotspots.monday(week),
            "weeks": hotspots.BASELINE_WEEKS,
            "previous": hotspots.monday(week) - dt.timedelta(weeks=1),
            "next": hotspots.monday(week) + dt.timedelta(weeks=1),
        },
    )


@access(OVERSEE)
def duplicate_list(request: AuthedRequest) -> HttpResponse:
    rows = suggestion_policy.visible(request.user, OVERSEE).select_related(
        "first", "second", "first__committee", "second__committee", "decided_by"
    )
    return render(
        request,
        "screening/duplicates.html",
        {
            "rows": rows[:200],
            "choices": [
                (Decision.SAME, Decision.SAME.label),
                (Decision.DIFFERENT, Decision.DIFFERENT.label),
            ],
        },
    )


@require_POST
@access(OVERSEE)
def duplicate_refresh(request: AuthedRequest) -> HttpResponse:
    found = duplicates.suggestions_refresh(request.user.organisation.path)
    messages.success(request, _("%(count)s new pairs to review.") % {"count": found})
    return redirect("screening:duplicate_list")


@require_POST
@access(OVERSEE)
def duplicate_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_policy.get_or_404(
        request.user, OVERSEE, base=DuplicateSuggestion.objects.all(), pk=pk
    )
    version = request.POST.get("version", "")
    try:
        duplicates.suggestion_decide(
            actor=request.user,
            suggestion=suggestion,
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
            version=int(version) if version.isdigit() else None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("screening:duplicate_list")
    messages.success(request, _("The decision was recorded."))
    return redirect("screening:duplicate_list")
