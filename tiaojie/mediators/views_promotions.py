"""Grade promotion and honours pages: propose on a mediator's page, the bureau's list of
proposals to approve or reject, and the honours register."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.mediators import promotions
from tiaojie.mediators.choices import PromotionStatus
from tiaojie.mediators.forms_evaluation import DecisionForm, HonourForm, PromotionForm
from tiaojie.mediators.rules import BUREAU_KINDS
from tiaojie.mediators.views import get_mediator


@access(Capability.MEDIATOR_MANAGE)
def promotion_propose(request: AuthedRequest, pk: int) -> HttpResponse:
    mediator = get_mediator(request, pk)
    ladder = promotions.ladder_of(mediator)
    form = PromotionForm(request.POST or None, ladder=ladder)
    if request.method == "POST" and form.is_valid():
        grade = form.cleaned_data.get("to_grade")
        try:
            promotions.propose(
                actor=request.user,
                mediator=mediator,
                to_grade_id=grade.pk if grade else None,
                grounds=form.cleaned_data.get("grounds") or "",
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The promotion was proposed to the bureau."))
            return redirect("mediators:mediator_detail", pk=mediator.pk)
    return render(
        request,
        "mediators/promotion_form.html",
        {"form": form, "mediator": mediator, "ladder": ladder},
        status=422 if request.method == "POST" else 200,
    )


@access(Capability.MEDIATOR_VIEW)
def promotion_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    may_decide = user.can(Capability.RULES_CONFIGURE) and user.organisation.kind in BUREAU_KINDS
    found = promotions.promotions_for(user)
    return render(
        request,
        "mediators/promotion_list.html",
        {
            "open": found.filter(status=PromotionStatus.PROPOSED),
            "decided": found.exclude(status=PromotionStatus.PROPOSED)[:100],
            "may_decide": may_decide,
        },
    )


@access(Capability.RULES_CONFIGURE)
@require_POST
def promotion_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    promotion = promotions.promotions_for(request.user).filter(pk=pk).first()
    if promotion is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("mediators:promotion_list")
    d = form.cleaned_data
    try:
        promotions.decide(
            actor=request.user,
            promotion=promotion,
            action=d["action"],
            reason=d.get("reason") or "",
            version=d.get("version"),
        )
    except DomainError as exc:
        messages.error(
            request, "；".join(m for ms in exc.fields.values() for m in ms) or exc.message
        )
    else:
        messages.success(request, _("The promotion decision was recorded."))
    return redirect("mediators:promotion_list")


@access(Capability.MEDIATOR_MANAGE)
def honour_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mediator = get_mediator(request, pk)
    form = HonourForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            promotions.honour_add(
                actor=request.user,
                mediator=mediator,
                title=d["title"],
                name=d.get("name") or "",
                year=d.get("year"),
                awarded_by=d.get("awarded_by") or "",
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The honour was recorded."))
            return redirect("mediators:mediator_detail", pk=mediator.pk)
    return render(
        request,
        "mediators/honour_form.html",
        {"form": form, "mediator": mediator},
        status=422 if request.method == "POST" else 200,
    )


@access(Capability.MEDIATOR_VIEW)
def honour_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request, "mediators/honour_list.html", {"honours": promotions.honours_for(request.user)}
    )
