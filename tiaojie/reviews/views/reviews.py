"""A reviewer's pages: the files assigned to them, and scoring one. The round's managers may
open any file of their rounds read-only."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.reviews import selectors
from tiaojie.reviews.casefile_view import file_view
from tiaojie.reviews.choices import RoundStatus
from tiaojie.reviews.forms import ScoreForm
from tiaojie.reviews.models import CaseReview
from tiaojie.reviews.rules import review_policy
from tiaojie.reviews.services.scoring import item_field
from tiaojie.reviews.services.scoring import review_score as score_service


@access(Capability.REVIEW_SCORE)
def my_reviews(request: AuthedRequest) -> HttpResponse:
    return render(
        request, "reviews/my_reviews.html", {"reviews": selectors.reviews_assigned_to(request.user)}
    )


def get_review(request: AuthedRequest, pk: int) -> CaseReview:
    """The reviewer's own file; or, for the round's managers, any file of their rounds."""
    base = CaseReview.objects.select_related(
        "round", "round__sheet", "case", "case__dispute_type", "committee", "reviewer"
    )
    found = review_policy.visible(request.user, Capability.REVIEW_SCORE, base).filter(pk=pk).first()
    if found is None:
        found = (
            review_policy.visible(request.user, Capability.REVIEW_MANAGE, base)
            .filter(pk=pk)
            .first()
        )
    if found is None:
        raise Http404
    return found


@access(Capability.REVIEW_SCORE)
def review_score(request: AuthedRequest, pk: int) -> HttpResponse:
    review = get_review(request, pk)
    items = list(review.round.sheet.items.all())
    editable = (
        review.reviewer_id == request.user.pk and review.round.status == RoundStatus.IN_REVIEW
    )
    if request.method == "POST" and editable:
        form = ScoreForm(request.POST, items=items)
        if form.is_valid():
            try:
                score_service(
                    actor=request.user,
                    review=review,
                    scores=form.scores(),
                    comments=form.cleaned_data["comments"],
                    version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The scores were saved."))
                return redirect("reviews:my_reviews")
        status = 422
    else:
        initial: dict[str, object] = {"version": review.version, "comments": review.comments}
        for score in review.scores.all():
            initial[item_field(score.item_id)] = score.score
            initial[f"note_{score.item_id}"] = score.note
        form = ScoreForm(initial=initial, items=items)
        status = 200
    context = {
        "review": review,
        "file": file_view(review.case, request.user),
        "form": form,
        "editable": editable,
        "scores": {s.item_id: s for s in review.scores.all()},
    }
    return render(request, "reviews/review_score.html", context, status=status)
