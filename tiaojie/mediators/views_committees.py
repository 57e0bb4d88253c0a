"""Committee standards pages: the standardisation check and star ratings of the viewer's
committees, the villages and communities without a committee, and the bureau's checklists."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError, ValidationFailed
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.mediators import committees as cm
from tiaojie.mediators import studios
from tiaojie.mediators.choices import CriterionPurpose, StarStatus
from tiaojie.mediators.forms_evaluation import (
    CheckForm,
    CommitteeSettingsForm,
    DecisionForm,
    StarForm,
)
from tiaojie.mediators.models import Locality
from tiaojie.mediators.rules import BUREAU_KINDS, may_configure_ladder
from tiaojie.organisations.models import Organisation


def _year(request: AuthedRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@access(Capability.MEDIATOR_VIEW)
def committee_standards(request: AuthedRequest) -> HttpResponse:
    user = request.user
    year = _year(request)
    ratings = cm.ratings_for(user)
    return render(
        request,
        "mediators/committee_standards.html",
        {
            "year": year,
            "rows": cm.standardisation(user, year),
            "open": ratings.filter(status=StarStatus.PROPOSED),
            "ratings": ratings.filter(year=year).exclude(status=StarStatus.PROPOSED),
            "uncovered": cm.uncovered(user),
            "open_studios": studios.studios_for(user, state="open").count(),
            "may_decide": user.can(Capability.RULES_CONFIGURE)
            and user.organisation.kind in BUREAU_KINDS,
            "can_manage": user.can(Capability.MEDIATOR_MANAGE),
        },
    )


def _committee(request: AuthedRequest, pk: int) -> Organisation:
    try:
        return cm.committee_for(request.user, pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


@access(Capability.MEDIATOR_MANAGE)
def committee_check(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record this year's standardisation check, or propose the committee's stars."""
    committee = _committee(request, pk)
    year = timezone.localdate().year
    standard = cm.criteria_in_force(committee, CriterionPurpose.STANDARD)
    star = cm.criteria_in_force(committee, CriterionPurpose.STAR)
    which = request.POST.get("form", "")
    check_form = CheckForm(
        request.POST if which == "check" else None, items=standard, initial={"year": year}
    )
    star_form = StarForm(
        request.POST if which == "star" else None, items=star, initial={"year": year}
    )
    bound = check_form if which == "check" else star_form if which == "star" else None
    if bound is not None and bound.is_valid():
        d = bound.cleaned_data
        try:
            if bound is check_form:
                cm.check_record(
                    actor=request.user, committee=committee, year=d.get("year"), met=d["met"]
                )
            else:
                cm.star_propose(
                    actor=request.user,
                    committee=committee,
                    year=d.get("year"),
                    stars=d.get("stars"),
                    met=d["met"],
                    grounds=d.get("grounds") or "",
                )
        except DomainError as exc:
            apply_domain_error(bound, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("mediators:committee_standards")
    return render(
        request,
        "mediators/committee_check.html",
        {"committee": committee, "check_form": check_form, "star_form": star_form},
        status=422 if bound is not None else 200,
    )


@access(Capability.RULES_CONFIGURE)
@require_POST
def star_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    rating = cm.ratings_for(request.user).filter(pk=pk).first()
    if rating is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("mediators:committee_standards")
    d = form.cleaned_data
    try:
        cm.star_decide(
            actor=request.user,
            rating=rating,
            action=d["action"],
            reason=d.get("reason") or "",
            version=d.get("version"),
        )
    except DomainError as exc:
        messages.error(
            request, "；".join(m for ms in exc.fields.values() for m in ms) or exc.message
        )
    else:
        messages.success(request, _("The star rating decision was recorded."))
    return redirect("mediators:committee_standards")


@access(Capability.RULES_CONFIGURE)
def committee_settings(request: AuthedRequest) -> HttpResponse:
    """The bureau's standardisation checklist, star criteria and list of localities."""
    if not may_configure_ladder(request.user):
        raise PermissionDenied
    bureau = request.user.organisation
    initial = {
        "standard_items": "\n".join(cm.criteria_in_force(bureau, CriterionPurpose.STANDARD)),
        "star_items": "\n".join(cm.criteria_in_force(bureau, CriterionPurpose.STAR)),
        "localities": "\n".join(
            f"{loc.code} {loc.name}" for loc in Locality.objects.filter(bureau=bureau)
        ),
    }
    form = CommitteeSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        refused: list[DomainError] = []
        try:
            # One form, three lists: all saved, or none (the first refusal rolls back).
            with transaction.atomic():
                for purpose, key in (
                    (CriterionPurpose.STANDARD, "standard_items"),
                    (CriterionPurpose.STAR, "star_items"),
                ):
                    try:
                        cm.criteria_set(
                            actor=request.user, purpose=purpose, labels=d[key].splitlines()
                        )
                    except ValidationFailed as exc:
                        refused.append(exc)
                try:
                    cm.localities_set(actor=request.user, text=d.get("localities") or "")
                except ValidationFailed as exc:
                    refused.append(exc)
                if refused:
                    raise refused[0]
        except DomainError as exc:
            for error in refused or [exc]:
                apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("mediators:committee_settings")
    return render(
        request,
        "mediators/committee_settings.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )
