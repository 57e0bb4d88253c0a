"""Campaigns: the list, a new campaign, its page (targets, progress, the day's count) and its
report as XLSX or PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.screening import exports
from tiaojie.screening.forms import CampaignForm, CountForm, TargetForm
from tiaojie.screening.models import Campaign
from tiaojie.screening.rules import OVERSEE, REPORT, campaign_policy
from tiaojie.screening.services import campaigns


def get_campaign(request: AuthedRequest, pk: int) -> Campaign:
    return campaign_policy.get_or_404(
        request.user, REPORT, base=Campaign.objects.select_related("owner"), pk=pk
    )


@access(REPORT)
def campaign_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "screening/campaign_list.html",
        {
            "campaigns": campaign_policy.visible(request.user, REPORT).select_related("owner"),
            "may_create": request.user.can(OVERSEE),
            "today": timezone.localdate(),
        },
    )


@access(OVERSEE)
def campaign_create(request: AuthedRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaigns.campaign_create(
                actor=request.user,
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The campaign was created. Set its targets next."))
            return redirect("screening:campaign_detail", pk=campaign.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "screening/campaign_form.html", {"form": form}, status=status)


def _context(request: AuthedRequest, campaign: Campaign, **extra: Any) -> dict[str, Any]:
    may_run = campaigns.may_run(request.user, campaign)
    may_count = campaigns.may_count(request.user, campaign)
    return {
        "campaign": campaign,
        "rows": campaigns.progress(campaign),
        "days": campaigns.daily(campaign),
        "may_run": may_run,
        "may_count": may_count,
        "target_form": extra.pop("target_form", None)
        or (TargetForm(owner_path=campaign.owner_path) if may_run else None),
        "count_form": extra.pop("count_form", None)
        or (CountForm(initial={"day": timezone.localdate()}) if may_count else None),
        **extra,
    }


@access(REPORT)
def campaign_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = get_campaign(request, pk)
    return render(request, "screening/campaign_detail.html", _context(request, campaign))


@require_POST
@access(OVERSEE)
def campaign_target(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = get_campaign(request, pk)
    if not campaigns.may_run(request.user, campaign):
        raise PermissionDenied
    form = TargetForm(request.POST, owner_path=campaign.owner_path)
    if form.is_valid():
        try:
            campaigns.target_set(
                actor=request.user,
                campaign=campaign,
                organisation=form.cleaned_data["organisation"],
                target=form.cleaned_data["target"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("screening:campaign_detail", pk=pk)
    context = _context(request, campaign, target_form=form)
    return render(request, "screening/campaign_detail.html", context, status=422)


@require_POST
@access(REPORT)
def campaign_count(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = get_campaign(request, pk)
    if not campaigns.may_count(request.user, campaign):
        raise PermissionDenied
    form = CountForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            campaigns.count_record(
                actor=request.user,
                campaign=campaign,
                day=data["day"],
                screened=data["screened"],
                resolved=data["resolved"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The day's count was saved."))
            return redirect("screening:campaign_detail", pk=pk)
    context = _context(request, campaign, count_form=form)
    return render(request, "screening/campaign_detail.html", context, status=422)


@access(REPORT)
def campaign_report(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in ("xlsx", "pdf"):
        raise Http404
    campaign = get_campaign(request, pk)
    return exports.report_response(request.user, campaign, kind)
