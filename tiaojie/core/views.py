"""The home page: what the signed-in person needs first, by role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from tiaojie.accounts.roles import Capability
from tiaojie.core.access import SIGNED_IN, access
from tiaojie.core.context_processors import items_for
from tiaojie.core.types import AuthedRequest
from tiaojie.organisations.models import Organisation
from tiaojie.organisations.rules import organisation_policy


@access(SIGNED_IN)
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    org = user.organisation
    context: dict[str, object] = {"organisation": org}
    if user.can(Capability.ORGANISATION_VIEW):
        visible = organisation_policy.visible(user, Capability.ORGANISATION_VIEW)
        context["subtree_count"] = visible.count()
        context["ancestors"] = list(Organisation.objects.ancestors_of(org))
    return render(request, "core/home.html", context)


@access(SIGNED_IN)
def configuration(request: AuthedRequest) -> HttpResponse:
    """The settings a user's role looks after (rules, calendar, templates, imports): kept off
    the daily menu. A role with none gets 403."""
    items = [item for item in items_for(request.user) if item.group == "settings"]
    if not items:
        raise PermissionDenied
    return render(request, "core/configuration.html", {"items": items})
