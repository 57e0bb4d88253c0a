"""Screening rounds: the list, a round's page (its findings, the report, the assignee), the
overdue rounds below one's level, and a bureau's schedule."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability, Role
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.organisations.models import Organisation
from tiaojie.screening import selectors
from tiaojie.screening.choices import Frequency, Level, RoundStatus
from tiaojie.screening.forms import AssignForm, FindingForm, ReportForm, ScheduleForm
from tiaojie.screening.models import Round
from tiaojie.screening.rules import OVERSEE, REPORT, may_report, round_policy
from tiaojie.screening.services import findings, rounds


def get_round(request: AuthedRequest, pk: int) -> Round:
    return round_policy.get_or_404(
        request.user,
        REPORT,
        base=Round.objects.select_related("organisation", "assignee", "reported_by"),
        pk=pk,
    )


def _reporting_round(request: AuthedRequest, pk: int) -> Round:
    """The round, for its own organisation's staff or its assignee; the levels above may read
    it (they get the page) but not screen for it (403)."""
    screening_round = get_round(request, pk)
    if not may_report(request.user, screening_round):
        raise PermissionDenied
    return screening_round


@access(REPORT)
def round_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "screening/round_list.html",
        {
            "rounds": selectors.rounds_for(request.user)[:200],
            "perms_oversee": request.user.can(OVERSEE),
        },
    )


def _may_assign(request: AuthedRequest, screening_round: Round) -> bool:
    user = request.user
    return (
        user.organisation_id == screening_round.organisation_id
        and user.role in (Role.COMMITTEE_DIRECTOR, Role.OFFICE_OFFICER, Role.BUREAU_OFFICER)
        and screening_round.status != RoundStatus.REPORTED
    )


def detail_context(request: AuthedRequest, screening_round: Round, **extra: Any) -> dict[str, Any]:
    reporting = (
        may_report(request.user, screening_round) and screening_round.status != RoundStatus.REPORTED
    )
    may_assign = _may_assign(request, screening_round)
    people = rounds.eligible_assignees(screening_round) if may_assign else []
    return {
        "round": screening_round,
        "findings": screening_round.findings.select_related("case", "created_by"),
        "reporting": reporting,
        "finding_form": extra.pop("finding_form", None)
        or FindingForm(initial={"client_key": uuid.uuid4().hex}),
        "report_form": extra.pop("report_form", None)
        or ReportForm(initial={"version": screening_round.version}),
        "may_assign": may_assign,
        "assign_form": AssignForm(initial={"assignee": screening_round.assignee_id}, people=people)
        if may_assign
        else None,
        "transitions": screening_round.transitions.all(),
        "today": timezone.localdate(),
        **extra,
    }


@access(REPORT)
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    screening_round = get_round(request, pk)
    return render(request, "screening/round_detail.html", detail_context(request, screening_round))


@require_POST
@access(REPORT)
def finding_add(request: AuthedRequest, pk: int) -> HttpResponse:
    screening_round = _reporting_round(request, pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            findings.finding_record(
                actor=request.user,
                screening_round=screening_round,
                data=findings.FindingData(
                    place=data["place"],
                    people=data["people"],
                    what=data["what"],
                    risk=data["risk"] or "low",
                    client_key=data["client_key"],
                ),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The finding was recorded."))
            return redirect("screening:round_detail", pk=pk)
    context = detail_context(request, screening_round, finding_form=form)
    return render(request, "screening/round_detail.html", context, status=422)


@require_POST
@access(REPORT)
def round_report(request: AuthedRequest, pk: int) -> HttpResponse:
    screening_round = _reporting_round(request, pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            rounds.round_report(
                actor=request.user,
                screening_round=screening_round,
                nil=form.cleaned_data["nil"],
                version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The round was reported."))
            return redirect("screening:round_detail", pk=pk)
    context = detail_context(request, screening_round, report_form=form)
    return render(request, "screening/round_detail.html", context, status=422)


@require_POST
@access(REPORT)
def round_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    screening_round = get_round(request, pk)
    if request.user.organisation_id != screening_round.organisation_id:
        raise PermissionDenied  # the levels above read the round; its own people assign it
    people = rounds.eligible_assignees(screening_round)
    form = AssignForm(request.POST, people=people)
    if form.is_valid():
        try:
            rounds.round_assign(
                actor=request.user,
                screening_round=screening_round,
                assignee=form.cleaned_data["assignee"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The round was assigned."))
    else:
        messages.error(request, _("Choose someone of this organisation or of its grids."))
    return redirect("screening:round_detail", pk=pk)


@access(OVERSEE)
def overdue(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "screening/overdue.html",
        {"rounds": [(r, (today - r.due_on).days) for r in selectors.overdue_below(request.user)]},
    )


@access(Capability.RULES_CONFIGURE)
def schedule(request: AuthedRequest) -> HttpResponse:
    bureau: Organisation = request.user.organisation
    form = ScheduleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rounds.schedule_set(
                    actor=request.user,
                    level=form.cleaned_data["level"],
                    frequency=form.cleaned_data["frequency"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The screening schedule was saved."))
                return redirect("screening:schedule")
        status = 422
    rows = [
        {"level": Level(level).label, "frequency": Frequency(frequency).label, "own": own}
        for level, frequency, own in rounds.schedule_for(bureau)
    ]
    return render(
        request,
        "screening/schedule.html",
        {"rows": rows, "form": form, "bureau": bureau},
        status=status,
    )
