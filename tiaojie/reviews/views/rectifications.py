"""Rectification pages: the open list (the committee's director sees its own, the bureau all of
its rounds'), requesting one for a scored file, and one rectification with its moves."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability, Role
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.reviews import selectors
from tiaojie.reviews.choices import RectificationStatus, ReviewStatus
from tiaojie.reviews.forms import RectificationActionForm, RectificationRequestForm
from tiaojie.reviews.models import CaseReview, Rectification
from tiaojie.reviews.rules import rectification_policy, review_policy
from tiaojie.reviews.services import rectification as service


@access(Capability.REVIEW_SCORE)
def rectification_list(request: AuthedRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    found = selectors.rectifications_for(request.user, open_only=not show_all).order_by(
        "committee_path", "deadline", "id"
    )
    return render(
        request,
        "reviews/rectification_list.html",
        {"rectifications": found, "today": timezone.localdate(), "show_all": show_all},
    )


@access(Capability.REVIEW_MANAGE)
def rectification_request(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask the committee to rectify a scored file of one of the user's rounds."""
    review = review_policy.get_or_404(
        request.user,
        Capability.REVIEW_MANAGE,
        base=CaseReview.objects.select_related("round", "case", "committee"),
        pk=pk,
    )
    form = RectificationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = service.rectification_request(
                actor=request.user,
                review=review,
                instructions=form.cleaned_data["instructions"],
                deadline=form.cleaned_data["deadline"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The committee was asked to rectify the file."))
            return redirect("reviews:rectification_detail", pk=created.pk)
    return render(
        request,
        "reviews/rectification_request.html",
        {"review": review, "form": form, "scored": review.status == ReviewStatus.SCORED},
    )


def _actions(request: AuthedRequest, found: Rectification) -> list[tuple[str, str]]:
    user = request.user
    owner = user.can(Capability.REVIEW_MANAGE) and found.round.owner_path.startswith(
        user.organisation.path
    )
    director = user.role == Role.COMMITTEE_DIRECTOR and user.organisation_id == found.committee_id
    if found.status == RectificationStatus.REQUESTED and director:
        return [("report", _("Report what was done"))]
    if found.status == RectificationStatus.REPORTED and owner:
        return [("accept", _("Accept and close")), ("send_back", _("Send back"))]
    return []


@access(Capability.REVIEW_SCORE)
def rectification_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    found = rectification_policy.get_or_404(
        request.user,
        Capability.REVIEW_SCORE,
        base=Rectification.objects.select_related("round", "committee", "review__case"),
        pk=pk,
    )
    form = RectificationActionForm(request.POST or None, initial={"version": found.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            service.rectification_transition(
                actor=request.user,
                rectification=found,
                action=request.POST.get("action", ""),
                text=form.cleaned_data["text"],
                version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Saved."))
            return redirect("reviews:rectification_detail", pk=found.pk)
    context = {
        "rectification": found,
        "steps": found.steps.all(),
        "actions": _actions(request, found),
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "reviews/rectification_detail.html", context, status=status)
