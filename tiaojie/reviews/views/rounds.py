"""Review rounds: list, create, the round's page (sample, reviewers, progress, results), its
moves (sample, assign, close) and the results export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.cases.rules import case_policy
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.reviews import exports, selectors
from tiaojie.reviews.choices import RectificationStatus, RoundStatus
from tiaojie.reviews.forms import AssignForm, RoundForm
from tiaojie.reviews.models import Rectification, ReviewRound
from tiaojie.reviews.rules import round_policy
from tiaojie.reviews.services import assignment, rounds


def get_round(request: AuthedRequest, pk: int) -> ReviewRound:
    return round_policy.get_or_404(
        request.user,
        Capability.REVIEW_MANAGE,
        base=ReviewRound.objects.select_related("owner", "sheet"),
        pk=pk,
    )


@access(Capability.REVIEW_MANAGE)
def round_list(request: AuthedRequest) -> HttpResponse:
    found = list(selectors.rounds_for(request.user))
    progress = selectors.progress_by_round(r.pk for r in found)
    rows = [{"round": r, "progress": progress[r.pk]} for r in found]
    return render(request, "reviews/round_list.html", {"rows": rows})


@access(Capability.REVIEW_MANAGE)
def round_create(request: AuthedRequest) -> HttpResponse:
    sheets = selectors.sheets_for(request.user)
    form = RoundForm(request.POST or None, user=request.user, sheets=sheets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = rounds.round_create(
                actor=request.user,
                data=rounds.RoundData(
                    name=data["name"],
                    year=data["year"],
                    quarter=data["quarter"],
                    sheet=data["sheet"],
                    sample_share=data["sample_share"],
                    major_amount_threshold=data["major_amount_threshold"],
                    flagged_mediators=list(data["flagged_mediators"]),
                ),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The round was created. Draw its sample next."))
            return redirect("reviews:round_detail", pk=created.pk)
    return render(request, "reviews/round_form.html", {"form": form})


def detail_context(
    request: AuthedRequest, review_round: ReviewRound, **extra: Any
) -> dict[str, Any]:
    reviews = list(
        review_round.reviews.select_related("case", "case__dispute_type", "committee", "reviewer")
    )
    visible_cases = set(
        case_policy.visible(request.user, Capability.CASE_CONTENT)
        .filter(pk__in=[r.case_id for r in reviews])
        .values_list("pk", flat=True)
    )
    open_rectifications = {
        r.review_id: r
        for r in Rectification.objects.filter(round=review_round).exclude(
            status=RectificationStatus.CLOSED
        )
    }
    for review in reviews:
        review.open_rectification = open_rectifications.get(review.pk)  # type: ignore[attr-defined]
    status = review_round.status
    return {
        "round": review_round,
        "reviews": reviews,
        "visible_cases": visible_cases,
        "progress": selectors.tally((r.reason, r.reviewer_id, r.status) for r in reviews),
        "flagged": review_round.flagged_mediators.select_related("organisation"),
        "results": selectors.results(review_round) if status != RoundStatus.DRAFT else None,
        "can_sample": status == RoundStatus.DRAFT
        or (status == RoundStatus.SAMPLED and not any(r.reviewer_id for r in reviews)),
        "can_assign": status in (RoundStatus.SAMPLED, RoundStatus.IN_REVIEW),
        "can_close": status == RoundStatus.IN_REVIEW,
        "assign_form": extra.pop("assign_form", None) or AssignForm(review_round=review_round),
        "transitions": review_round.transitions.all(),
        **extra,
    }


@access(Capability.REVIEW_MANAGE)
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    review_round = get_round(request, pk)
    return render(request, "reviews/round_detail.html", detail_context(request, review_round))


def _move(request: AuthedRequest, pk: int, action: str, done: str) -> HttpResponse:
    review_round = get_round(request, pk)
    try:
        rounds.round_transition(
            actor=request.user,
            review_round=review_round,
            action=action,
            version=_version(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("reviews:round_detail", pk=review_round.pk)


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@access(Capability.REVIEW_MANAGE)
@require_POST
def round_sample(request: AuthedRequest, pk: int) -> HttpResponse:
    return _move(request, pk, "sample", _("The sample was drawn."))


@access(Capability.REVIEW_MANAGE)
@require_POST
def round_close(request: AuthedRequest, pk: int) -> HttpResponse:
    return _move(request, pk, "close", _("The round is closed."))


@access(Capability.REVIEW_MANAGE)
@require_POST
def round_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    """Give the ticked files to one reviewer; a refusal comes back on the round's page."""
    review_round = get_round(request, pk)
    form = AssignForm(request.POST, review_round=review_round)
    if form.is_valid():
        try:
            done = assignment.reviewer_assign(
                actor=request.user,
                review_round=review_round,
                review_ids=[r.pk for r in form.cleaned_data["reviews"]],
                reviewer=form.cleaned_data["reviewer"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("%(n)s case file(s) assigned.") % {"n": len(done)})
            return redirect("reviews:round_detail", pk=review_round.pk)
    context = detail_context(request, get_round(request, pk), assign_form=form)
    return render(request, "reviews/round_detail.html", context, status=422)


@access(Capability.REVIEW_MANAGE)
@require_POST
def round_auto_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    review_round = get_round(request, pk)
    try:
        assigned, left = assignment.reviewers_auto_assign(
            actor=request.user, review_round=review_round
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s case file(s) assigned.") % {"n": assigned})
        if left:
            messages.error(
                request,
                _("%(n)s case file(s) found no reviewer outside their committee.") % {"n": left},
            )
    return redirect("reviews:round_detail", pk=review_round.pk)


@access(Capability.REVIEW_MANAGE)
def round_export(request: AuthedRequest, pk: int) -> HttpResponse:
    review_round = get_round(request, pk)
    return exports.results_response(request.user, review_round)
