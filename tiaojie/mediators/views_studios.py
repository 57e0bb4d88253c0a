"""The studios registry pages (调解工作室): the list of brand rooms and personal studios of the
viewer's committees (reached from the committee standards page), and the forms to register,
edit and close one."""

from __future__ import annotations

from typing import Any

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
from tiaojie.mediators import selectors, studios
from tiaojie.mediators.forms_studios import StudioCloseForm, StudioForm
from tiaojie.mediators.models_studios import Studio
from tiaojie.organisations.models import Organisation

STATES = ("open", "closed", "all")


def _studio(request: AuthedRequest, pk: int) -> Studio:
    found = studios.studios_for(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _data(d: dict[str, Any]) -> studios.StudioData:
    return studios.StudioData(
        name=d.get("name") or "",
        kind=d.get("kind") or "",
        mediator_id=d.get("mediator"),
        opened_on=d.get("opened_on"),
        address=d.get("address") or "",
        hours=d.get("hours") or "",
    )


@access(Capability.MEDIATOR_VIEW)
def studio_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    state = request.GET.get("state", "open")
    state = state if state in STATES else "open"
    raw = request.GET.get("committee", "")
    committee_id = int(raw) if raw.isdigit() else None
    found = studios.studios_for(user, committee_id=committee_id, state=state)
    return render(
        request,
        "mediators/studio_list.html",
        {
            "studios": found[:500],
            "state": state,
            "committee_id": committee_id,
            "committees": Organisation.objects.filter(
                pk__in=studios.studios_for(user).values("committee_id")
            ).order_by("path"),
            "can_manage": user.can(Capability.MEDIATOR_MANAGE),
        },
    )


@access(Capability.MEDIATOR_MANAGE)
def studio_add(request: AuthedRequest) -> HttpResponse:
    form = StudioForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        committee = selectors.committees_in_scope(request.user).filter(pk=d["committee"]).first()
        if committee is None:
            form.add_error("committee", _("Choose an active committee within your organisation."))
        else:
            try:
                studios.studio_add(actor=request.user, committee=committee, data=_data(d))
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The studio was registered."))
                return redirect("mediators:studio_list")
    return render(
        request,
        "mediators/studio_form.html",
        {"form": form, "studio": None},
        status=422 if request.method == "POST" else 200,
    )


@access(Capability.MEDIATOR_MANAGE)
def studio_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    studio = _studio(request, pk)
    initial = {
        "name": studio.name,
        "kind": studio.kind,
        "mediator": studio.mediator_id,
        "opened_on": studio.opened_on,
        "address": studio.address,
        "hours": studio.hours,
        "version": studio.version,
    }
    form = StudioForm(
        request.POST or None, user=request.user, fixed_committee=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            studios.studio_edit(
                actor=request.user, studio=studio, data=_data(d), version=d.get("version")
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The studio was saved."))
            return redirect("mediators:studio_list")
    return render(
        request,
        "mediators/studio_form.html",
        {"form": form, "studio": studio, "close_form": StudioCloseForm()},
        status=422 if request.method == "POST" else 200,
    )


@access(Capability.MEDIATOR_MANAGE)
@require_POST
def studio_close(request: AuthedRequest, pk: int) -> HttpResponse:
    studio = _studio(request, pk)
    form = StudioCloseForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {}
    try:
        studios.studio_close(
            actor=request.user,
            studio=studio,
            closed_on=d.get("closed_on"),
            version=d.get("version"),
        )
    except DomainError as exc:
        messages.error(
            request, "；".join(m for ms in exc.fields.values() for m in ms) or exc.message
        )
        return redirect("mediators:studio_edit", pk=studio.pk)
    messages.success(request, _("The studio was closed."))
    return redirect("mediators:studio_list")
