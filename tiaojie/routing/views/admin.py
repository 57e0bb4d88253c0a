"""Pages for configuring routing: governance-centre settings, incoming and outgoing
transfers, and the mediators' expertise."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tiaojie.accounts.roles import Capability, Role
from tiaojie.cases.models import DisputeType
from tiaojie.core.access import access
from tiaojie.core.errors import Conflict, DomainError
from tiaojie.core.forms import apply_domain_error
from tiaojie.core.types import AuthedRequest
from tiaojie.routing import selectors
from tiaojie.routing.forms import CentreForm, ExpertiseForm
from tiaojie.routing.models import MediatorExpertise
from tiaojie.routing.services.expertise import expertise_save
from tiaojie.routing.services.routing import centre_settings_save


@access(Capability.RULES_CONFIGURE)
def centre_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request, "routing/centres.html", {"organisations": selectors.centres_for(request.user)}
    )


@access(Capability.RULES_CONFIGURE)
def centre_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    org = selectors.centre_or_404(request.user, pk)
    status = 200
    if request.method == "POST":
        form = CentreForm(request.POST)
        if form.is_valid():
            try:
                centre_settings_save(
                    actor=request.user,
                    organisation=org,
                    is_centre=form.cleaned_data["is_centre"],
                    channels=form.cleaned_data["channels"],
                    version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = 409 if isinstance(exc, Conflict) else 422
            else:
                messages.success(request, _("The centre's settings are saved."))
                return redirect("routing:centres")
        else:
            status = 422
    else:
        form = CentreForm(
            initial={
                "is_centre": org.is_governance_centre,
                "channels": org.centre_channels,
                "version": org.version,
            }
        )
    return render(request, "routing/centre_form.html", {"org": org, "form": form}, status=status)


@access(Capability.CASE_ASSIGN)
def transfer_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "routing/transfers.html",
        {
            "incoming": selectors.incoming_transfers(request.user),
            "outgoing": selectors.outgoing_transfers(request.user),
        },
    )


@access(Capability.CASE_ASSIGN)
def expertise(request: AuthedRequest) -> HttpResponse:
    """The director's mediators, each with the dispute types they are good at."""
    if request.user.role != Role.COMMITTEE_DIRECTOR:
        raise Http404
    mediators = list(selectors.committee_mediators(request.user))
    status = 200
    if request.method == "POST":
        form = ExpertiseForm(request.POST)
        mediator = next((m for m in mediators if str(m.pk) == request.POST.get("mediator")), None)
        if mediator is None:
            raise Http404
        if form.is_valid():
            try:
                expertise_save(
                    actor=request.user,
                    mediator=mediator,
                    dispute_types=form.cleaned_data["dispute_types"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = 422
            else:
                messages.success(request, _("Saved for %(name)s.") % {"name": mediator.full_name})
                return redirect("routing:expertise")
    chosen: dict[int, list[int]] = {}
    for mediator_id, type_id in MediatorExpertise.objects.filter(
        mediator__in=mediators
    ).values_list("mediator_id", "dispute_type_id"):
        chosen.setdefault(mediator_id, []).append(type_id)
    names = dict(DisputeType.objects.values_list("pk", "name"))
    rows = [
        {
            "mediator": m,
            "types": [names[t] for t in chosen.get(m.pk, [])],
            "form": ExpertiseForm(
                initial={"mediator": m.pk, "dispute_types": chosen.get(m.pk, [])},
                auto_id=f"id_m{m.pk}_%s",
            ),
        }
        for m in mediators
    ]
    return render(request, "routing/expertise.html", {"rows": rows}, status=status)
