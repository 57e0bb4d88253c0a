"""The registry's pages: the roster, a mediator's page, register and edit, memberships,
status, the reveal of personal data (audited) and the bureau's grade ladder."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import access
from tiaojie.core.errors import DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.mediators import associations, presenters, selectors, services, studios
from tiaojie.mediators.choices import MediatorAction
from tiaojie.mediators.forms import (
    LadderForm,
    MediatorForm,
    MembershipForm,
    PolicyForm,
    RosterFilterForm,
    StatusForm,
    initial_for,
)
from tiaojie.mediators.models import Grade, Mediator, Membership
from tiaojie.mediators.rules import may_configure_ladder, mediator_policy
from tiaojie.mediators.workflow import MOVES, mediator_transition
from tiaojie.mediators.workload import workload

PAGE_SIZE = 50


def get_mediator(request: AuthedRequest, pk: int) -> Mediator:
    return mediator_policy.get_or_404(
        request.user,
        Capability.MEDIATOR_VIEW,
        base=Mediator.objects.select_related("grade", "user"),
        pk=pk,
    )


@access(Capability.MEDIATOR_VIEW)
def mediator_list(request: AuthedRequest) -> HttpResponse:
    """The roster of the viewer's subtree: one row per person, personal data masked."""
    form = RosterFilterForm(request.GET or None, user=request.user)
    found = selectors.roster(request.user, form.filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"mediator": m, **presenters.masked(m)} for m in page.object_list]
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(
        request,
        "mediators/mediator_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            "can_manage": request.user.can(Capability.MEDIATOR_MANAGE),
        },
    )


def detail_context(
    request: AuthedRequest, mediator: Mediator, shown: dict[str, str] | None = None
) -> dict[str, Any]:
    user = request.user
    can_manage = user.can(Capability.MEDIATOR_MANAGE)
    return {
        "mediator": mediator,
        "shown": shown or presenters.masked(mediator),
        "revealed": shown is not None,
        "memberships": selectors.same_person(mediator),
        "association_places": associations.places_of(mediator),
        "visible_associations": set(
            associations.associations_visible(user).values_list("pk", flat=True)
        ),
        "transitions": mediator.transitions.all(),
        "expertise": list(mediator.expertise.all()),
        "policies": mediator.policies.all(),
        "workload": workload(mediator),
        "policy_form": PolicyForm() if can_manage else None,
        "attendances": mediator.attendances.select_related("course").order_by("-course__ends_on"),
        "honours": mediator.honours.all(),
        "studios": studios.led_by(mediator),
        "promotions": mediator.promotions.select_related("from_grade", "to_grade"),
        "can_manage": can_manage,
        "membership_form": MembershipForm(user=user) if can_manage else None,
        "status_form": StatusForm(initial={"version": mediator.version}) if can_manage else None,
        "moves": [MediatorAction(m.action) for m in MOVES.values() if mediator.status in m.sources],
    }


@access(Capability.MEDIATOR_VIEW)
def mediator_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    mediator = get_mediator(request, pk)
    return render(request, "mediators/mediator_detail.html", detail_context(request, mediator))


@access(Capability.MEDIATOR_MANAGE)
@require_POST
def mediator_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    """The personal data in full, on a POST only, each time recorded in the audit trail."""
    mediator = get_mediator(request, pk)
    shown = services.revealed(request.user, mediator)
    context = detail_context(request, mediator, shown)
    if request.htmx:
        return render(request, "mediators/partials/personal.html", context)
    return render(request, "mediators/mediator_detail.html", context)


@access(Capability.MEDIATOR_MANAGE)
def mediator_create(request: AuthedRequest) -> HttpResponse:
    form = MediatorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        committee = form.cleaned_data.get("committee") or request.user.organisation
        try:
            created = services.mediator_register(
                actor=request.user,
                data=form.data_object(),
                committee=committee,
                role=form.cleaned_data.get("role") or "member",
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The mediator was registered."))
            return redirect("mediators:mediator_detail", pk=created.pk)
    return render(request, "mediators/mediator_form.html", {"form": form, "mediator": None})


@access(Capability.MEDIATOR_MANAGE)
def mediator_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    mediator = get_mediator(request, pk)
    if request.method == "POST":
        form = MediatorForm(request.POST, user=request.user, mediator=mediator)
        if form.is_valid():
            try:
                services.mediator_update(
                    actor=request.user,
                    mediator=mediator,
                    data=form.data_object(),
                    version=form.cleaned_data.get("version") or 0,
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("mediators:mediator_detail", pk=mediator.pk)
    else:
        # Editing shows the data in full: recorded as a view of personal data.
        services.revealed(request.user, mediator)
        form = MediatorForm(initial=initial_for(mediator), user=request.user, mediator=mediator)
    return render(request, "mediators/mediator_form.html", {"form": form, "mediator": mediator})


@access(Capability.MEDIATOR_MANAGE)
@require_POST
def membership_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mediator = get_mediator(request, pk)
    form = MembershipForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.membership_add(
                actor=request.user,
                mediator=mediator,
                committee=form.cleaned_data["committee"],
                role=form.cleaned_data["role"],
                since=form.cleaned_data.get("since"),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The committee was added."))
    else:
        messages.error(request, _("Choose a committee and a role."))
    return redirect("mediators:mediator_detail", pk=mediator.pk)


@access(Capability.MEDIATOR_MANAGE)
@require_POST
def membership_end(request: AuthedRequest, pk: int, membership_pk: int) -> HttpResponse:
    mediator = get_mediator(request, pk)
    membership = get_object_or_404(Membership, pk=membership_pk, mediator=mediator)
    try:
        services.membership_end(actor=request.user, membership=membership)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The membership was ended."))
    return redirect("mediators:mediator_detail", pk=mediator.pk)


@access(Capability.MEDIATOR_MANAGE)
@require_POST
def mediator_move(request: AuthedRequest, pk: int) -> HttpResponse:
    mediator = get_mediator(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            mediator_transition(
                actor=request.user,
                mediator=mediator,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data.get("reason") or "",
                version=form.cleaned_data.get("version"),
                on=form.cleaned_data.get("on"),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The status was changed."))
    else:
        messages.error(request, _("Choose the change to make."))
    return redirect("mediators:mediator_detail", pk=mediator.pk)


@access(Capability.RULES_CONFIGURE)
def grade_ladder(request: AuthedRequest) -> HttpResponse:
    """The bureau's grade ladder: the grades its mediators may hold, lowest first."""
    if not may_configure_ladder(request.user):
        raise PermissionDenied
    bureau = request.user.organisation
    current = list(Grade.objects.filter(bureau=bureau))
    form = LadderForm(request.POST or None, initial={"grades": "\n".join(g.name for g in current)})
    if request.method == "POST" and form.is_valid():
        try:
            services.ladder_set(actor=request.user, names=form.names())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The grade ladder was saved."))
            return redirect("mediators:grade_ladder")
    inherited = selectors.ladder_bureau(bureau) if not current else None
    return render(
        request,
        "mediators/grade_ladder.html",
        {"form": form, "current": current, "bureau": bureau, "inherited": inherited},
    )
